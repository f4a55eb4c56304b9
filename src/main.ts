import 'reflect-metadata';
import { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { createApp } from './bootstrap';
import { appConfig, EnvValidationError } from './config';
import { GracefulShutdown } from './monitoring';

async function bootstrap(): Promise<void> {
  const app = await createApp(await AppModule.forRoot());
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // Readiness 503 at once, drain, then close (instead of Nest's immediate enableShutdownHooks).
  // Built before listen: it follows every connection to close only idle ones at the end.
  const shutdown = GracefulShutdown.forApp(app);
  await app.listen({ port: config.port, host: config.host });
  shutdown.listen();
}

bootstrap().catch((error: unknown) => {
  // A bad environment is an operator error: print the bad keys, not a stack trace.
  if (error instanceof EnvValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Boot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
