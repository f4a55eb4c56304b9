import { ConfigurableModuleBuilder } from '@nestjs/common';
import { BreakerOptions, ErrorFilter } from './breaker-options';

/** Options of `ResilienceModule.forRoot()`. */
export interface ResilienceModuleOptions {
  /** Defaults of every breaker (env `RESILIENCE__DEFAULT__*` and per-breaker env win). */
  defaults?: Partial<BreakerOptions>;
  /** Errors that are the caller's fault and never trip a breaker. @default 4xx-like errors except 408/429 */
  errorFilter?: ErrorFilter;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: RESILIENCE_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<ResilienceModuleOptions>({ moduleName: 'Resilience' })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
