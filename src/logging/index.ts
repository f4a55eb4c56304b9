export { LoggingModule } from './logging.module';
export { requestIdOf, REQUEST_ID_HEADER } from './request-id';
