import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TokenService } from '../../../src/auth';
import { BOARD_PATH, BOARD_SESSION_AUDIENCE } from '../../../src/queues';
import { cspAllows, pageReferences, parseCsp } from '../../helpers/csp';
import { createTestApp, TestApp } from '../../helpers/test-app';

const SESSION = `${BOARD_PATH}/session`;
const HTML = 'text/html,application/xhtml+xml';

/** The `board_session=...` pair of a Set-Cookie header, for a Cookie header. */
const cookieOf = (setCookie: string): string => setCookie.split(';')[0];

describe('QueueBoard', () => {
  let t: TestApp;
  const bearer = (role: 'admin' | 'user') => t.auth(role).Authorization.slice('Bearer '.length);
  const signIn = (token: string) => request(t.server).post(SESSION).send({ token });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should serve bull-board to admins only, by bearer header', async () => {
    const { userId: _a, ...admin } = t.auth('admin');
    const { userId: _u, ...user } = t.auth();

    const anonymous = await request(t.server).get(`${BOARD_PATH}/api/queues`);
    const forbidden = await request(t.server).get(`${BOARD_PATH}/api/queues`).set(user);
    const allowed = await request(t.server).get(`${BOARD_PATH}/api/queues`).set(admin);

    expect(anonymous.status).toBe(401);
    expect(forbidden.status).toBe(403);
    expect(allowed.status).toBe(200);
    const queues = (allowed.body as { queues: { name: string; readOnlyMode: boolean }[] }).queues;
    expect(queues.map((queue) => queue.name).sort()).toEqual(['compute', 'documents']);
    expect(queues.every((queue) => queue.readOnlyMode)).toBe(true);
  });

  it('should send a browser without a session to the sign-in page', async () => {
    const page = await request(t.server).get(BOARD_PATH).set('Accept', HTML);
    const api = await request(t.server).get(`${BOARD_PATH}/api/queues`);
    const login = await request(t.server).get(`${BOARD_PATH}/login`).set('Accept', HTML);

    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(`${BOARD_PATH}/login`);
    expect(api.status).toBe(401);
    expect(login.status).toBe(200);
    expect(login.text).toContain(`<script src="${BOARD_PATH}/login.js"`);
    expect(login.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('should let the sign-in page load its script and style under the page CSP', async () => {
    const page = await request(t.server).get(`${BOARD_PATH}/login`).expect(200);
    const csp = parseCsp(page.headers['content-security-policy']);
    const references = pageReferences(page.text, `http://localhost${BOARD_PATH}/login`);

    expect(references.map((ref) => ref.directive).sort()).toEqual(['script-src', 'style-src']);
    expect(references.filter((ref) => !cspAllows(csp, ref, 'http://localhost'))).toEqual([]);
    const script = await request(t.server).get(`${BOARD_PATH}/login.js`).expect(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('should sign an admin in with a short, HttpOnly, SameSite=Strict session cookie', async () => {
    const admin = bearer('admin');

    const res = await signIn(admin).expect(204);

    const setCookie = res.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toHaveLength(1);
    const attributes = setCookie[0].split('; ');
    expect(attributes).toEqual(
      expect.arrayContaining(['Path=/admin/queues', 'Max-Age=900', 'HttpOnly', 'SameSite=Strict']),
    );
    expect(attributes).not.toContain('Secure');
    expect(cookieOf(setCookie[0])).toMatch(/^board_session=.+/);
    expect(setCookie[0]).not.toContain(admin);
    const board = await request(t.server)
      .get(BOARD_PATH)
      .set('Accept', HTML)
      .set('Cookie', cookieOf(setCookie[0]));
    expect(board.status).toBe(200);
    expect(board.text).toContain('<html');
  });

  it('should not trust X-Forwarded-Proto from a client when no proxy is trusted', async () => {
    const res = await signIn(bearer('admin')).set('X-Forwarded-Proto', 'https');

    // HTTP__TRUST_PROXY_HOPS=0 here: the header is the client's word, the request is HTTP.
    expect(res.status).toBe(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).not.toContain('Secure');
  });

  it('should refuse a non-admin token, a forged token and a missing one', async () => {
    const forged = `${bearer('admin').slice(0, -4)}AAAA`;

    const user = await signIn(bearer('user'));
    const bad = await signIn(forged);
    const missing = await request(t.server).post(SESSION).send({});
    const form = await request(t.server)
      .post(SESSION)
      .type('form')
      .send({ token: bearer('admin') });

    expect(user.status).toBe(403);
    expect(bad.status).toBe(401);
    expect(missing.status).toBe(400);
    expect(form.status).toBe(415);
    for (const res of [user, bad, missing, form]) {
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('should refuse an expired or forged session cookie', async () => {
    const tokens = t.app.get(TokenService);
    const now = Math.floor(Date.now() / 1000);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'], now: (now - 3600) * 1000 });
    const expired = tokens.sign({ id: randomUUID(), role: 'admin' }, 900, BOARD_SESSION_AUDIENCE);
    jest.useRealTimers();
    const session = cookieOf(
      ((await signIn(bearer('admin'))).headers['set-cookie'] as unknown as string[])[0],
    );

    const old = await request(t.server)
      .get(`${BOARD_PATH}/api/queues`)
      .set('Cookie', `board_session=${expired}`);
    const tampered = await request(t.server)
      .get(`${BOARD_PATH}/api/queues`)
      .set('Cookie', `${session.slice(0, -4)}AAAA`);
    const browser = await request(t.server)
      .get(BOARD_PATH)
      .set('Accept', HTML)
      .set('Cookie', `board_session=${expired}`);
    const rawCookie = await request(t.server)
      .get(`${BOARD_PATH}/api/queues`)
      .set('Cookie', `access_token=${bearer('admin')}`);

    expect(old.status).toBe(401);
    expect(tampered.status).toBe(401);
    expect(browser.status).toBe(303);
    expect(rawCookie.status).toBe(401);
  });

  it('should keep sessions and API tokens apart: a session is no bearer token, a bearer token no session', async () => {
    const session = cookieOf(
      ((await signIn(bearer('admin'))).headers['set-cookie'] as unknown as string[])[0],
    ).slice('board_session='.length);

    const asBearer = await request(t.server)
      .get('/agents')
      .set('Authorization', `Bearer ${decodeURIComponent(session)}`);
    const onBoardAsBearer = await request(t.server)
      .get(`${BOARD_PATH}/api/queues`)
      .set('Authorization', `Bearer ${decodeURIComponent(session)}`);
    const apiTokenAsSession = await request(t.server)
      .get(`${BOARD_PATH}/api/queues`)
      .set('Cookie', `board_session=${bearer('admin')}`);
    const asSession = await request(t.server)
      .get(`${BOARD_PATH}/api/queues`)
      .set('Cookie', `board_session=${session}`);

    expect(asBearer.status).toBe(401);
    expect(asBearer.body.message).toBe('Token is not an API token');
    expect(onBoardAsBearer.status).toBe(401);
    expect(apiTokenAsSession.status).toBe(401);
    expect(asSession.status).toBe(200);
  });

  it('should clear the cookie on sign-out', async () => {
    const res = await request(t.server).delete(SESSION).expect(204);

    const setCookie = (res.headers['set-cookie'] as unknown as string[])[0];
    expect(setCookie).toMatch(/^board_session=; /);
    expect(setCookie).toContain('Max-Age=0');
    expect(setCookie).toContain('Path=/admin/queues');
  });

  it('should expose the queue metrics', async () => {
    const res = await request(t.server).get('/metrics');
    expect(res.text).toContain('bull_queue_jobs{queue="compute",state="waiting"}');
    expect(res.text).toContain('bull_queue_oldest_waiting_age_seconds');
  });
});
