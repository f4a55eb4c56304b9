export { LoggingModule } from './logging.module';
export { loggingConfig, LoggingEnv, type LoggingConfig } from './logging.config';
export { requestIdOf, REQUEST_ID_HEADER } from './request-id';
