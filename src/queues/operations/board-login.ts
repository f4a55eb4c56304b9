import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenService } from '../../auth';
import { BOARD_SESSION_AUDIENCE, boardSessionCookie } from './board-session';

/** Options of {@link registerBoardLogin}. */
export interface BoardLoginOptions {
  /** The board's path (the routes below are under it). */
  basePath: string;
  /** Lifetime of a session, in seconds (`QUEUES__BOARD_SESSION_TTL_S`). */
  sessionTtlSeconds: number;
  tokens: TokenService;
}

const page = (basePath: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in - bull-board</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; }
input, button { font: inherit; padding: .4rem .6rem; }
input { width: 100%; box-sizing: border-box; margin: .5rem 0 1rem; }
#message { color: #b00020; min-height: 1.5em; }
</style>
<script src="${basePath}/login.js" defer></script>
</head>
<body>
<h1>Queues</h1>
<form id="login" data-base="${basePath}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit">Sign in</button>
<button type="button" id="logout">Sign out</button>
</form>
<p id="message" role="alert"></p>
</body>
</html>
`;

// Served as a file: the page CSP allows no inline script.
const SCRIPT = `'use strict';
const form = document.getElementById('login');
const message = document.getElementById('message');
const base = form.dataset.base;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  message.textContent = '';
  const response = await fetch(base + '/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: form.elements.token.value.trim() }),
  });
  if (response.ok) {
    location.assign(base);
    return;
  }
  message.textContent =
    response.status === 403 ? 'This token is not an admin token.' : 'Invalid or expired token.';
});
document.getElementById('logout').addEventListener('click', async () => {
  await fetch(base + '/session', { method: 'DELETE' });
  message.textContent = 'Signed out.';
});
`;

const refuse = (reply: FastifyReply, statusCode: 400 | 401 | 403, message: string) =>
  reply.code(statusCode).send({
    statusCode,
    message,
    error: { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' }[statusCode],
  });

/**
 * bull-board's sign-in, registered outside the board's auth hook: `GET login` (a form),
 * `GET login.js` (its script), `POST session` (`{"token": "<admin JWT>"}` -> 204 and a session
 * cookie holding a JWT of the session's lifetime, never the token sent) and `DELETE session`
 * (sign out: the cookie is cleared). The cookie is Secure when the request came over HTTPS
 * (`X-Forwarded-Proto` counts behind `HTTP__TRUST_PROXY_HOPS` proxies).
 */
export function registerBoardLogin(fastify: FastifyInstance, options: BoardLoginOptions): void {
  const { basePath, sessionTtlSeconds, tokens } = options;
  const html = page(basePath);
  const cookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
    boardSessionCookie(value, {
      path: basePath,
      maxAgeSeconds,
      secure: request.protocol === 'https',
    });

  fastify.get(`${basePath}/login`, (_request, reply) =>
    reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html),
  );
  fastify.get(`${basePath}/login.js`, (_request, reply) =>
    reply.header('Cache-Control', 'no-cache').type('text/javascript; charset=utf-8').send(SCRIPT),
  );
  fastify.post(`${basePath}/session`, (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    const token = (request.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) {
      return refuse(reply, 400, 'Body must be {"token": "<admin bearer token>"}');
    }
    let principal;
    try {
      principal = tokens.verify(token);
    } catch {
      return refuse(reply, 401, 'Invalid token');
    }
    if (principal.role !== 'admin') {
      return refuse(reply, 403, 'Requires role: admin');
    }
    const session = tokens.sign(principal, sessionTtlSeconds, BOARD_SESSION_AUDIENCE);
    return reply
      .header('Set-Cookie', cookie(request, session, sessionTtlSeconds))
      .code(204)
      .send();
  });
  fastify.delete(`${basePath}/session`, (request, reply) =>
    reply
      .header('Cache-Control', 'no-store')
      .header('Set-Cookie', cookie(request, '', 0))
      .code(204)
      .send(),
  );
}
