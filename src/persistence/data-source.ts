import { DataSource } from 'typeorm';
import { loadDevelopmentEnv } from '../config';
import { buildDataSourceOptions } from './data-source-options';
import { databaseConfig } from './persistence.config';

// Entry point of the TypeORM CLI (`npm run migration:*`). It shares buildDataSourceOptions with
// the app. Without DATABASE__URL it targets the embedded server that `npm start` runs.
loadDevelopmentEnv();
const config = databaseConfig();
const url = config.url ?? `postgres://postgres:postgres@127.0.0.1:${config.embedded.port}/agentic`;

export default new DataSource(buildDataSourceOptions(config, url));
