import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { authConfig, jwtModuleOptions, TokenService } from '../src/auth';
import { loadDevelopmentEnv } from '../src/config';
import { runCli, UsageError } from './cli';
import { parseTokenArgs, TOKEN_USAGE } from './token-args';

// `npm run token -- --sub <uuid> --role admin`: prints a bearer token the app accepts. It signs
// with the app's own TokenService and reads the secret through the app's validated config, so a
// missing or short AUTH__JWT_SECRET fails with the same message as a boot. The token alone goes
// to stdout (`TOKEN=$(npm run -s token -- ...)`); the secret is never printed.
runCli(TOKEN_USAGE, () => {
  const args = parseTokenArgs(process.argv.slice(2), randomUUID);
  if (args.help) {
    process.stdout.write(`${TOKEN_USAGE}\n`);
    return;
  }
  loadDevelopmentEnv();
  const config = authConfig();
  const ttlSeconds = args.ttlSeconds ?? config.tokenTtlSeconds;
  if (ttlSeconds > config.maxTokenTtlSeconds) {
    // The app would answer 401 to it.
    throw new UsageError(
      `--ttl must not be greater than AUTH__MAX_TOKEN_TTL_S (${config.maxTokenTtlSeconds})`,
    );
  }
  const token = new TokenService(new JwtService(jwtModuleOptions(config)), config).sign(
    { id: args.sub, role: args.role },
    ttlSeconds,
  );
  const expires = new Date(Date.now() + ttlSeconds * 1000).toISOString();
  process.stderr.write(`sub=${args.sub} role=${args.role} expires=${expires}\n`);
  process.stdout.write(`${token}\n`);
});
