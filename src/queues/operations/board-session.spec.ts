import { boardSessionCookie, boardSessionOf, isBrowserNavigation } from './board-session';

describe('board session', () => {
  it('should build a scoped, short, HttpOnly, SameSite=Strict cookie, Secure on request', () => {
    const options = { path: '/admin/queues', maxAgeSeconds: 900 };

    const plain = boardSessionCookie('a.b=c', { ...options, secure: false });
    const secure = boardSessionCookie('a.b=c', { ...options, secure: true });

    expect(plain).toBe(
      'board_session=a.b%3Dc; Path=/admin/queues; Max-Age=900; HttpOnly; SameSite=Strict',
    );
    expect(secure).toBe(`${plain}; Secure`);
  });

  it('should read the session among other cookies and ignore a malformed one', () => {
    const headers = (cookie: string) => ({ headers: { cookie } });

    expect(boardSessionOf(headers('a=1; board_session=x%3Dy; b=2'))).toBe('x=y');
    expect(boardSessionOf(headers('a=1'))).toBeUndefined();
    expect(boardSessionOf(headers('board_session=%E0%A4%A'))).toBeUndefined();
  });

  it('should tell a browser navigation from an API call', () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

    expect(isBrowserNavigation({ method: 'GET', headers: html })).toBe(true);
    expect(isBrowserNavigation({ method: 'POST', headers: html })).toBe(false);
    expect(isBrowserNavigation({ method: 'GET', headers: { accept: 'application/json' } })).toBe(
      false,
    );
  });
});
