/** Processing states of a document; new and edited documents are `pending`. */
export const DOCUMENT_STATUSES = ['pending', 'processing', 'processed', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Largest document `content`, in UTF-8 bytes (5 MiB). */
export const DOCUMENT_CONTENT_MAX_BYTES = 5 * 1024 * 1024;

/** Queue of document processing (concurrency `PERFORMANCE__DOCUMENT_PROCESSING_WORKERS`). */
export const DOCUMENTS_QUEUE = 'documents';
export const PROCESS_DOCUMENT = 'process_document';
export const PROCESS_DOCUMENTS = 'process_documents';
/** Attempts of a processing job (retries back off by `QUEUES__BACKOFF_MS`). */
export const PROCESSING_ATTEMPTS = 3;

/** Most documents one `POST /documents/process` may name. */
export const MAX_BATCH_DOCUMENTS = 100;
