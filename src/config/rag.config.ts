import { registerAs } from '@nestjs/config';
import { EnvInt } from './env.decorators';
import { validateEnv } from './validate-env';

/** The guide's `RAG__*` keys. This service has no vector store yet; see the README. */
export class RagEnv {
  /** Connections a future Chroma client may open; validated so deployments can set it today. */
  @EnvInt(1, 1000)
  RAG__CHROMA_CONNECTION_POOL_SIZE = 50;

  /** Memory budget for document processing (text held while chunking), in MiB. */
  @EnvInt(16, 1048576)
  RAG__CHROMA_MAX_MEMORY_MB = 4096;
}

/** Typed `rag` namespace. */
export const ragConfig = registerAs('rag', () => {
  const env = validateEnv(RagEnv, process.env);
  return {
    chromaConnectionPoolSize: env.RAG__CHROMA_CONNECTION_POOL_SIZE,
    chromaMaxMemoryMb: env.RAG__CHROMA_MAX_MEMORY_MB,
  };
});
