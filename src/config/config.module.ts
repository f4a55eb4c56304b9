import { DynamicModule, Module } from '@nestjs/common';
import { ConfigFactory, ConfigFactoryKeyHost, ConfigModule } from '@nestjs/config';
import { developmentEnvFiles } from './env-files.config';
import { validateEnvClasses } from './validate-env';

/** A module's config: its typed namespace and the env class that validates it. */
export interface ModuleConfig {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- factories return different shapes
  namespace: ConfigFactory & ConfigFactoryKeyHost<any>;
  env: new () => object;
}

/**
 * Global config: loads the development env files outside production (never overriding the real
 * environment), validates every module's
 * env class at once so a bad boot lists every bad key, and registers the typed namespaces.
 */
@Module({})
export class AppConfigModule {
  static async forRoot(configs: ModuleConfig[]): Promise<DynamicModule> {
    return {
      module: AppConfigModule,
      imports: [
        await ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          envFilePath: developmentEnvFiles(),
          ignoreEnvFile: developmentEnvFiles().length === 0,
          load: configs.map((config) => config.namespace),
          validate: (raw: Record<string, string | undefined>) => {
            validateEnvClasses(
              configs.map((config) => config.env),
              raw,
            );
            return raw;
          },
        }),
      ],
    };
  }
}
