import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { livePostmaster, waitForPostmaster } from './postmaster-lock';

/** A postmaster.pid as PostgreSQL 15+ writes it. */
function lockFile(dir: string, pid: number, port: number, status = 'ready'): void {
  const lines = [pid, dir, 1796198581, port, '/tmp', '127.0.0.1', '  2269191     98332', status];
  writeFileSync(join(dir, 'postmaster.pid'), `${lines.join('\n')}\n`);
}

describe('postmaster lock', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'postmaster-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should read nothing without a lock file or with a stale one', () => {
    expect(livePostmaster(dir)).toBeUndefined();
    lockFile(dir, 2 ** 22 + 12345, port); // above pid_max: no such process
    expect(livePostmaster(dir)).toBeUndefined();
  });

  it('should read the pid, port and status of a live postmaster', () => {
    lockFile(dir, process.pid, port, 'starting');
    expect(livePostmaster(dir)).toEqual({ pid: process.pid, port, status: 'starting' });
  });

  it('should join a ready server that accepts connections on the port', async () => {
    lockFile(dir, process.pid, port);
    await expect(waitForPostmaster(dir, port, 0)).resolves.toBe(true);
  });

  it('should not join a server that is still starting, or no server at all', async () => {
    lockFile(dir, process.pid, port, 'starting');
    await expect(waitForPostmaster(dir, port, 0)).resolves.toBe(false);
    rmSync(join(dir, 'postmaster.pid'));
    await expect(waitForPostmaster(dir, port, 0)).resolves.toBe(false);
  });

  it('should refuse a server of the directory on another port, naming the setting', async () => {
    lockFile(dir, process.pid, port + 1);
    await expect(waitForPostmaster(dir, port, 0)).rejects.toThrow(/DATABASE__EMBEDDED_PORT/);
  });
});
