import { existsSync } from 'node:fs';

/**
 * Development env files, the first one found winning per key: `.env.local` (untracked, one
 * machine's overrides) and the committed `.env.development` (what `npm start` needs on a bare
 * machine). Not named `.env` on purpose: docker compose interpolates `.env` by itself, which made
 * its "set AUTH__JWT_SECRET" guard pass on the development secret.
 */
export const DEVELOPMENT_ENV_FILES: readonly string[] = ['.env.local', '.env.development'];

/** The env files to read: none when `NODE_ENV=production` (production injects its environment). */
export function developmentEnvFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.NODE_ENV === 'production' ? [] : [...DEVELOPMENT_ENV_FILES];
}

/**
 * Loads {@link developmentEnvFiles} into `process.env` for entry points outside the Nest app
 * (the TypeORM CLI, scripts, benches). Keys already in the real environment win, as in the app.
 */
export function loadDevelopmentEnv(): void {
  for (const file of developmentEnvFiles()) {
    if (existsSync(file)) {
      process.loadEnvFile(file);
    }
  }
}
