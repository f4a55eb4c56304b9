/** Processing states of a document; new and edited documents are `pending`. */
export const DOCUMENT_STATUSES = ['pending', 'processing', 'processed', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Largest document `content`, in UTF-8 bytes (5 MiB). */
export const DOCUMENT_CONTENT_MAX_BYTES = 5 * 1024 * 1024;
