export { DocumentsModule } from './documents.module';
export { DocumentsService } from './documents.service';
export { DOCUMENT_STATUSES } from './document.constants';
export type { DocumentStatus } from './document.constants';
