import { spawn } from 'node:child_process';

/**
 * Tops the bench database up to `agents` seed agents with `npm run seed` (COPY; a no-op apart
 * from a count and ANALYZE when they are already there). Progress goes to stderr.
 * @throws Error when the seed script fails.
 */
export function ensureSeedAgents(
  databaseUrl: string,
  agents: number,
  log: (message: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'seed', '--', '--agents', String(agents)], {
      env: { ...process.env, DATABASE__URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        log(`  ${output.trim()}`);
        resolve();
      } else {
        reject(new Error(`npm run seed exited with ${code}: ${output.trim()}`));
      }
    });
  });
}
