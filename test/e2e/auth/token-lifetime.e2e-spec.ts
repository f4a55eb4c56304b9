import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';

const MAX_TTL = 3600;
const TOLERANCE = 5;

/** An HS256 token with exactly these claims, signed with the run's AUTH__JWT_SECRET. */
function tokenWith(claims: Record<string, unknown>): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const payload = { sub: randomUUID(), role: 'user', ...claims };
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  const mac = createHmac('sha256', process.env.AUTH__JWT_SECRET ?? '')
    .update(body)
    .digest('base64url');
  return `${body}.${mac}`;
}

const now = () => Math.floor(Date.now() / 1000);

describe('Token lifetime over HTTP (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    process.env.AUTH__MAX_TOKEN_TTL_S = String(MAX_TTL);
    process.env.AUTH__CLOCK_TOLERANCE_SECONDS = String(TOLERANCE);
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
    delete process.env.AUTH__MAX_TOKEN_TTL_S;
    delete process.env.AUTH__CLOCK_TOLERANCE_SECONDS;
  });

  const call = (token: string) =>
    request(t.server).get('/workflows?size=1').set('Authorization', `Bearer ${token}`);

  it('should accept a token within the limits (the control case)', async () => {
    await call(tokenWith({ iat: now(), exp: now() + MAX_TTL })).expect(200);
    await call(tokenWith({ exp: now() + 60 })).expect(200);
  });

  it.each([
    ['without exp', () => ({ iat: now() }), 'Token claim "exp" is required'],
    [
      'living longer than AUTH__MAX_TOKEN_TTL_S',
      () => ({ iat: now(), exp: now() + MAX_TTL + 1 }),
      `Token lifetime must not exceed ${MAX_TTL} s`,
    ],
    [
      'without iat, expiring beyond the maximum from now',
      () => ({ exp: now() + MAX_TTL + 60 }),
      `Token lifetime must not exceed ${MAX_TTL} s`,
    ],
    [
      'issued in the future beyond the clock tolerance',
      () => ({ iat: now() + 60, exp: now() + 600 }),
      'Token claim "iat" is in the future',
    ],
  ])('should answer 401 to a token %s, every time', async (_name, claims, message) => {
    const token = tokenWith(claims());
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const res = await call(token).expect(401);
      expect(res.body.message).toBe(message);
    }
  });

  it('should reject a bad token even on a public route', async () => {
    await request(t.server)
      .get('/templates')
      .set('Authorization', `Bearer ${tokenWith({ iat: now() })}`)
      .expect(401);
  });

  it('should accept the tokens the app itself signs', async () => {
    await request(t.server).get('/workflows?size=1').set(t.auth()).expect(200);
  });
});
