export { ExternalDataModule } from './external-data.module';
export { externalApiConfig, ExternalApiEnv } from './external-api.config';
