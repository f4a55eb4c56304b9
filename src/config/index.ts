export { AppConfigModule } from './config.module';
export { developmentEnvFiles, loadDevelopmentEnv } from './env-files.config';
export type { ModuleConfig } from './config.module';
export { appConfig, AppEnv } from './app.config';
export { redisConfig, RedisEnv } from './redis.config';
export { PARALLEL_SCAVENGE_MODES, performanceConfig, PerformanceEnv } from './performance.config';
export { ragConfig, RagEnv } from './rag.config';
export { EnvValidationError } from './env-validation.error';
export { validateEnv, validateEnvClasses } from './validate-env';
export { EnvBoolean, EnvInt, EnvOneOf, EnvOptionalInt, parseEnvBoolean } from './env.decorators';
export { EnvOriginList, parseOriginList } from './origin-list.validator';
export {
  estimateEntropyBits,
  MIN_SECRET_ENTROPY_BITS,
  ProductionSecret,
  productionSecretProblem,
} from './production-secret.validator';
export type { ProductionSecretOptions } from './production-secret.validator';
export { readPackageInfo } from './package-info';
