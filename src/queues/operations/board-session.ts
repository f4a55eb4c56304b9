import type { FastifyRequest } from 'fastify';

/** Name of bull-board's session cookie. */
export const BOARD_SESSION_COOKIE = 'board_session';

/**
 * `aud` of a board session token: the board accepts it from the cookie, the API refuses it, so a
 * leaked cookie opens the board for its few minutes and nothing else.
 */
export const BOARD_SESSION_AUDIENCE = 'bull-board-session';

/** Options of {@link boardSessionCookie}. */
export interface BoardSessionCookieOptions {
  /** The board's path: the browser sends the cookie there only. */
  path: string;
  /** Lifetime, in seconds (0 clears the cookie). */
  maxAgeSeconds: number;
  /** Only over HTTPS. */
  secure: boolean;
}

/**
 * A `Set-Cookie` value for the board session: HttpOnly (no script reads it), SameSite=Strict
 * (no cross-site request carries it), scoped to the board's path, short-lived.
 */
export function boardSessionCookie(value: string, options: BoardSessionCookieOptions): string {
  return [
    `${BOARD_SESSION_COOKIE}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The session cookie of a request, if any. */
export function boardSessionOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const prefix = `${BOARD_SESSION_COOKIE}=`;
  const cookie = request.headers.cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(prefix));
  if (!cookie) {
    return undefined;
  }
  try {
    return decodeURIComponent(cookie.slice(prefix.length));
  } catch {
    return undefined;
  }
}

/**
 * Whether a refused board request comes from a browser navigating (sent to the sign-in page)
 * rather than from a script or API client (answered 401/403 JSON).
 */
export function isBrowserNavigation(request: Pick<FastifyRequest, 'headers' | 'method'>): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}
