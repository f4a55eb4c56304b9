import { randomUUID } from 'node:crypto';
import { Controller, Get, Module, Param, Query } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../../../src/app.module';
import { Public, Role, TokenService } from '../../../../src/auth';
import { createApp } from '../../../../src/bootstrap';

/** Text an unexpected error carries; it must never reach a response body. */
export const SECRET_ERROR_TEXT = 'connect to db-primary.internal.example:5432 failed';

/** Routes the monitoring tests need whatever the domain modules provide. */
@Public()
@Controller('monitoring-scenario')
class ScenarioController {
  @Get('items/:id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get('boom')
  boom(): never {
    throw new Error(SECRET_ERROR_TEXT);
  }

  @Get('slow')
  async slow(@Query('ms') ms = '0'): Promise<{ slept: number }> {
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return { slept: Number(ms) };
  }
}

/** A booted app: the full AppModule plus the scenario routes. */
export interface ScenarioApp {
  app: NestFastifyApplication;
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  auth(role?: Role): { Authorization: string };
  close(): Promise<void>;
}

/** Boots the full app (as main.ts does) with the scenario controller added. */
export async function createScenarioApp(): Promise<ScenarioApp> {
  @Module({ imports: [await AppModule.forRoot()], controllers: [ScenarioController] })
  class ScenarioModule {}

  const app = await createApp(ScenarioModule);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const tokens = app.get(TokenService);
  return {
    app,
    server: app.getHttpServer(),
    auth: (role: Role = 'user') => ({
      Authorization: `Bearer ${tokens.sign({ id: randomUUID(), role })}`,
    }),
    close: () => app.close(),
  };
}
