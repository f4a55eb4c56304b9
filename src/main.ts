import './v8-defaults';
import 'reflect-metadata';
import { ConfigType } from '@nestjs/config';
import { AppModule } from './app.module';
import { createApp, exitOnBootFailure } from './bootstrap';
import { appConfig } from './config';
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

bootstrap().catch((error: unknown) => exitOnBootFailure('Boot failed', error));
