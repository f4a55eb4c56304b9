import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { chromium } from 'playwright-core';
import { authConfig, jwtModuleOptions, TokenService } from '../src/auth';
import { loadDevelopmentEnv } from '../src/config';
import { BOARD_PATH } from '../src/queues';
import { parseFlags, runCli, UsageError } from './cli';

const USAGE = `Usage: npm run board:screenshot -- [--url <origin>] [--out <file.png>] [--chromium <path>]

Opens bull-board from a fresh headless Chromium (empty profile), checks that it is sent to the
sign-in page, signs in with an admin token, checks the session cookie (HttpOnly, SameSite=Strict),
waits for the queues and saves a screenshot. Targets a running app: --url is the origin that
serves the board (the management port when MONITORING__MANAGEMENT_PORT is set).

  --url       default http://127.0.0.1:$PORT (3000)
  --out       default docs/images/bull-board.png
  --chromium  default /usr/bin/chromium (Debian package "chromium")

The admin token is BOARD_TOKEN if set, else a 5-minute one signed with the app's
AUTH__JWT_SECRET (from the environment or the development env files).`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A short admin token, signed the way `npm run token` does. */
function adminToken(): string {
  const config = authConfig();
  const tokens = new TokenService(new JwtService(jwtModuleOptions(config)), config);
  return tokens.sign({ id: randomUUID(), role: 'admin' }, 300);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), {
    url: { type: 'string' },
    out: { type: 'string', default: join('docs', 'images', 'bull-board.png') },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    help: { type: 'boolean', default: false },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  loadDevelopmentEnv();
  const origin = flags.url ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
  const board = new URL(BOARD_PATH, origin).toString();
  const token = process.env.BOARD_TOKEN ?? adminToken();

  const profile = mkdtempSync(join(tmpdir(), 'board-screenshot-'));
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: flags.chromium,
      args: ARGS,
      viewport: { width: 1280, height: 800 },
    })
    .catch((error: unknown) => {
      throw new UsageError(`Cannot start ${flags.chromium}: ${String(error)}`);
    });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(board, { waitUntil: 'domcontentloaded' });
    if (new URL(page.url()).pathname !== `${BOARD_PATH}/login`) {
      throw new Error(`A fresh browser was not sent to the sign-in page (at ${page.url()})`);
    }
    await page.fill('#token', token);
    await Promise.all([
      page.waitForURL((url) => url.pathname === BOARD_PATH, { waitUntil: 'domcontentloaded' }),
      page.click('button[type=submit]'),
    ]);
    const cookie = (await context.cookies(board)).find((c) => c.name === 'board_session');
    if (!cookie?.httpOnly || cookie.sameSite !== 'Strict' || cookie.path !== BOARD_PATH) {
      throw new Error('The session cookie is missing or not HttpOnly, SameSite=Strict, board path');
    }
    // The queue cards are rendered once the board's own API calls (with the cookie) succeed.
    await page.getByText('compute', { exact: false }).first().waitFor({ timeout: 30000 });
    mkdirSync(dirname(flags.out), { recursive: true });
    await page.screenshot({ path: flags.out });
    process.stdout.write(`Signed in to ${board} from a fresh browser; saved ${flags.out}\n`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

runCli(USAGE, main);
