import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { Role, TokenService } from '../../src/auth';
import { createApp } from '../../src/bootstrap';
import { ObservedQuery, QueryObserver } from '../../src/persistence';

/** A booted app on the per-run database, with helpers for tokens and SQL counting. */
export interface TestApp {
  app: NestFastifyApplication;
  /** The Node HTTP server, for supertest. */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  /** A bearer header for a principal (a new user id unless given). */
  auth(role?: Role, userId?: string): { Authorization: string; userId: string };
  /** Runs `fn` and returns the SQL statements the app ran meanwhile. */
  recordQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: ObservedQuery[] }>;
  close(): Promise<void>;
}

/** Options of {@link createTestApp}. */
export interface TestAppOptions {
  /** A Redis key prefix of the app's own (`testKeyPrefix(...)`), so its first requests miss. */
  keyPrefix?: string;
}

/** Boots the full app exactly as `main.ts` does (same adapter, pipes, filters, OpenAPI). */
export async function createTestApp({ keyPrefix }: TestAppOptions = {}): Promise<TestApp> {
  const runPrefix = process.env.REDIS__KEY_PREFIX;
  if (keyPrefix !== undefined) {
    process.env.REDIS__KEY_PREFIX = keyPrefix;
  }
  let app: NestFastifyApplication;
  try {
    app = await createApp(await AppModule.forRoot());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } finally {
    process.env.REDIS__KEY_PREFIX = runPrefix;
  }
  const tokens = app.get(TokenService);
  const observer = app.get(QueryObserver);
  return {
    app,
    server: app.getHttpServer(),
    auth(role: Role = 'user', userId: string = randomUUID()) {
      return { Authorization: `Bearer ${tokens.sign({ id: userId, role })}`, userId };
    },
    async recordQueries<T>(fn: () => Promise<T>) {
      const queries: ObservedQuery[] = [];
      const stop = observer.onQuery((query) => queries.push(query));
      try {
        return { result: await fn(), queries };
      } finally {
        stop();
      }
    },
    close: () => app.close(),
  };
}
