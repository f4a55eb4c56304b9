import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { Role, TokenService } from '../../src/auth';
import { createApp } from '../../src/bootstrap';
import { BENCH_USER_ID } from './bench-database';

/** The real app, listening on a free loopback port. */
export interface BenchApp {
  app: NestFastifyApplication;
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  baseUrl: string;
  /** Headers for JSON requests with a bearer token (the bench user unless `sub` is given). */
  headers(role?: Role, sub?: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Boots the app exactly as `main.ts` does (same module, adapter, pipes and filters) on
 * 127.0.0.1 with a port the OS picks. Call after prepareBenchEnv and prepareBenchDatabase.
 * `env` overrides variables for this instance only (read while it boots, then restored), e.g.
 * `{ MONITORING__ENABLED: 'false' }` for a second instance to compare with.
 */
export async function startBenchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  let app: NestFastifyApplication;
  try {
    app = await createApp(await AppModule.forRoot());
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  const tokens = app.get(TokenService);
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    headers: (role: Role = 'user', sub = BENCH_USER_ID) => ({
      authorization: `Bearer ${tokens.sign({ id: sub, role })}`,
      'content-type': 'application/json',
    }),
    close: () => app.close(),
  };
}
