import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenService } from '../../auth';
import { registerBoardLogin } from './board-login';
import { BOARD_SESSION_AUDIENCE, boardSessionOf, isBrowserNavigation } from './board-session';
import { BOARD_PATH } from '../queues.constants';
import { queuesConfig } from '../queues.config';
import { QueueRegistry } from '../queue.registry';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/**
 * The token of a board request and the audience it must carry: an API token in the
 * Authorization header, else a board session from the cookie (made for the board only).
 */
function boardToken(
  request: Pick<FastifyRequest, 'headers'>,
): { token: string; audience?: string } | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    return { token: header.slice('Bearer '.length).trim() };
  }
  const session = boardSessionOf(request);
  return session ? { token: session, audience: BOARD_SESSION_AUDIENCE } : undefined;
}

/**
 * bull-board at `/admin/queues`, for admins only. Its routes are Fastify routes, not Nest ones,
 * so the global auth guard does not see them: an `onRequest` hook scoped to the board checks
 * the JWT itself (Authorization header, or the session cookie set by signing in at
 * `/admin/queues/login`, see {@link registerBoardLogin}). A browser without a valid session is
 * sent to the sign-in page; other clients get 401/403 JSON. Read-only (no retry, clean,
 * remove) unless `QUEUES__BOARD_READ_ONLY=false`.
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  private readonly logger = new Logger('QueueBoard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: QueueRegistry,
    private readonly tokens: TokenService,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || !this.config.boardEnabled) {
      return;
    }
    const readOnly = this.config.boardReadOnly;
    const serverAdapter = new FastifyAdapter().setBasePath(BOARD_PATH);
    createBullBoard({
      queues: this.registry
        .list()
        .map(
          ({ queue }) =>
            new BullAdapter(queue.bull, { readOnlyMode: readOnly, allowRetries: !readOnly }),
        ),
      // @bull-board/fastify bundles its own copy of @bull-board/api: same shape, other type.
      serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    });
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', (request, reply) => this.authorize(request, reply));
      await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
    });
    // Outside the scope above: signing in needs no session.
    registerBoardLogin(fastify, {
      basePath: BOARD_PATH,
      sessionTtlSeconds: this.config.boardSessionTtlSeconds,
      tokens: this.tokens,
    });
    this.logger.log(`bull-board at ${BOARD_PATH} (${readOnly ? 'read-only' : 'read-write'})`);
  }

  private async authorize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const presented = boardToken(request);
    if (!presented) {
      return this.deny(request, reply, 401, 'Missing bearer token');
    }
    try {
      if (this.tokens.verify(presented.token, presented.audience).role !== 'admin') {
        return this.deny(request, reply, 403, 'Requires role: admin');
      }
    } catch (_error) {
      return this.deny(request, reply, 401, 'Invalid token');
    }
  }

  private async deny(
    request: FastifyRequest,
    reply: FastifyReply,
    statusCode: number,
    message: string,
  ): Promise<void> {
    if (isBrowserNavigation(request)) {
      await reply.header('Cache-Control', 'no-store').redirect(`${BOARD_PATH}/login`, 303);
      return;
    }
    await reply
      .code(statusCode)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send({ statusCode, message, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden' });
  }
}
