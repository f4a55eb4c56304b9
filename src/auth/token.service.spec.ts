import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import { jwtModuleOptions } from './auth.module';
import { TokenService } from './token.service';

const USER_ID = '7d3f1c52-8a8e-4c8a-9d0e-2f1f0d7c6b5a';

const MAX_TTL = 3600;

function setup(verifiedTokenCacheSize = 100, clockToleranceSeconds = 0) {
  const config = {
    jwtSecret: 'unit-test-secret-0123456789abcdefghijkl',
    tokenTtlSeconds: 60,
    maxTokenTtlSeconds: MAX_TTL,
    clockToleranceSeconds,
    verifiedTokenCacheSize,
  };
  const jwt = new JwtService(jwtModuleOptions(config));
  const fullVerify = jest.spyOn(jwt, 'verify');
  /** An HS256 token with exactly these claims (plus `sub` and `role`), signed with the app's key. */
  const raw = (claims: Record<string, unknown>) => {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: USER_ID, role: 'user', ...claims })}`;
    const mac = createHmac('sha256', config.jwtSecret).update(body).digest('base64url');
    return `${body}.${mac}`;
  };
  return { tokens: new TokenService(jwt, config), fullVerify, raw };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe(TokenService.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('should verify a token in full once, then answer the same token from memory', () => {
    const { tokens, fullVerify } = setup();
    const token = tokens.sign({ id: USER_ID, role: 'admin' });

    const first = tokens.verify(token);
    const second = tokens.verify(token);

    expect(first).toEqual({ id: USER_ID, role: 'admin' });
    expect(second).toEqual(first);
    expect(fullVerify).toHaveBeenCalledTimes(1);
  });

  it('should hand out copies, so a caller cannot change what the next request gets', () => {
    const { tokens } = setup();
    const token = tokens.sign({ id: USER_ID, role: 'user' });

    tokens.verify(token).role = 'admin';

    expect(tokens.verify(token).role).toBe('user');
  });

  it('should reject a remembered token once it expires (exp plus the clock tolerance)', () => {
    const { tokens } = setup(100, 5);
    const token = tokens.sign({ id: USER_ID, role: 'user' }, 10);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      exp: number;
    };
    expect(tokens.verify(token).id).toBe(USER_ID);

    const clock = jest.spyOn(Date, 'now');
    clock.mockReturnValue((exp + 5) * 1000 - 1);
    expect(tokens.verify(token).id).toBe(USER_ID);

    clock.mockReturnValue((exp + 5) * 1000);
    expect(() => tokens.verify(token)).toThrow(new UnauthorizedException('Token expired'));
  });

  it('should never remember a token that failed', () => {
    const { tokens, fullVerify } = setup();
    const token = tokens.sign({ id: USER_ID, role: 'user' });
    const forged = `${token.slice(0, -2)}xx`;

    expect(() => tokens.verify(forged)).toThrow(UnauthorizedException);
    expect(() => tokens.verify(forged)).toThrow(UnauthorizedException);

    expect(fullVerify).toHaveBeenCalledTimes(2);
  });

  it('should keep at most the configured number of tokens, dropping the oldest', () => {
    const { tokens, fullVerify } = setup(2);
    const [a, b, c] = ['1', '2', '3'].map((n) =>
      tokens.sign({ id: USER_ID.replace(/.$/, n), role: 'user' }),
    );
    tokens.verify(a);
    tokens.verify(b);
    tokens.verify(c); // drops a
    fullVerify.mockClear();

    tokens.verify(b);
    tokens.verify(c);
    expect(fullVerify).toHaveBeenCalledTimes(0);
    tokens.verify(a);
    expect(fullVerify).toHaveBeenCalledTimes(1);
  });

  it('should verify every request in full when the cache size is 0', () => {
    const { tokens, fullVerify } = setup(0);
    const token = tokens.sign({ id: USER_ID, role: 'user' });

    tokens.verify(token);
    tokens.verify(token);

    expect(fullVerify).toHaveBeenCalledTimes(2);
  });

  describe('verifyAuthorization (per connection)', () => {
    const expOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp;

    it('should answer a connection repeating its accepted header without the token lookup', () => {
      const { tokens, fullVerify } = setup(1);
      const token = tokens.sign({ id: USER_ID, role: 'user' });
      const connection = {};
      expect(tokens.verifyAuthorization(`Bearer ${token}`, connection)).toEqual({
        id: USER_ID,
        role: 'user',
      });
      // Another token takes the cache's only place: the token itself is no longer remembered.
      tokens.verify(tokens.sign({ id: USER_ID.replace(/.$/, '0'), role: 'user' }));
      fullVerify.mockClear();

      expect(tokens.verifyAuthorization(`Bearer ${token}`, connection).id).toBe(USER_ID);
      expect(fullVerify).toHaveBeenCalledTimes(0);
      expect(tokens.verifyAuthorization(`Bearer ${token}`, {}).id).toBe(USER_ID);
      expect(fullVerify).toHaveBeenCalledTimes(1);
    });

    it('should refuse the remembered header once its token expires', () => {
      const { tokens } = setup(100, 5);
      const token = tokens.sign({ id: USER_ID, role: 'user' }, 10);
      const connection = {};
      expect(tokens.verifyAuthorization(`Bearer ${token}`, connection).id).toBe(USER_ID);

      const clock = jest.spyOn(Date, 'now');
      clock.mockReturnValue((expOf(token) + 5) * 1000 - 1);
      expect(tokens.verifyAuthorization(`Bearer ${token}`, connection).id).toBe(USER_ID);
      clock.mockReturnValue((expOf(token) + 5) * 1000);
      expect(() => tokens.verifyAuthorization(`Bearer ${token}`, connection)).toThrow(
        new UnauthorizedException('Token expired'),
      );
    });

    it('should check a different header on the same connection in full', () => {
      const { tokens } = setup();
      const connection = {};
      const token = tokens.sign({ id: USER_ID, role: 'user' });
      tokens.verifyAuthorization(`Bearer ${token}`, connection);

      expect(() =>
        tokens.verifyAuthorization(`Bearer ${token.slice(0, -2)}xx`, connection),
      ).toThrow(new UnauthorizedException('Invalid token'));
      expect(() => tokens.verifyAuthorization(`Token ${token}`, connection)).toThrow(
        new UnauthorizedException('Authorization header must be "Bearer <token>"'),
      );
      // The scheme is case-insensitive, as before.
      expect(tokens.verifyAuthorization(`bearer ${token}`, connection).id).toBe(USER_ID);
    });

    it('should refuse a token made for an audience (a board session), remembered or not', () => {
      const { tokens } = setup();
      const boardToken = tokens.sign({ id: USER_ID, role: 'admin' }, 60, 'queue-board');
      expect(tokens.verify(boardToken, 'queue-board').role).toBe('admin');

      expect(() => tokens.verifyAuthorization(`Bearer ${boardToken}`, {})).toThrow(
        new UnauthorizedException('Token is not an API token'),
      );
    });

    it('should remember nothing when the cache size is 0', () => {
      const { tokens, fullVerify } = setup(0);
      const token = tokens.sign({ id: USER_ID, role: 'user' });
      const connection = {};

      tokens.verifyAuthorization(`Bearer ${token}`, connection);
      tokens.verifyAuthorization(`Bearer ${token}`, connection);

      expect(fullVerify).toHaveBeenCalledTimes(2);
    });

    it('should hand out copies', () => {
      const { tokens } = setup();
      const connection = {};
      const header = `Bearer ${tokens.sign({ id: USER_ID, role: 'user' })}`;

      tokens.verifyAuthorization(header, connection).role = 'admin';

      expect(tokens.verifyAuthorization(header, connection).role).toBe('user');
    });
  });

  describe('lifetime claims', () => {
    it('should reject a token without exp, and never remember it', () => {
      const { tokens, raw, fullVerify } = setup();
      const token = raw({ iat: nowSeconds() });

      expect(() => tokens.verify(token)).toThrow(
        new UnauthorizedException('Token claim "exp" is required'),
      );
      expect(() => tokens.verify(token)).toThrow(UnauthorizedException);
      expect(fullVerify).toHaveBeenCalledTimes(2);
    });

    it('should reject a token whose exp - iat exceeds the maximum lifetime', () => {
      const { tokens, raw } = setup();
      const iat = nowSeconds();

      expect(tokens.verify(raw({ iat, exp: iat + MAX_TTL })).id).toBe(USER_ID);
      expect(() => tokens.verify(raw({ iat, exp: iat + MAX_TTL + 1 }))).toThrow(
        new UnauthorizedException(`Token lifetime must not exceed ${MAX_TTL} s`),
      );
    });

    it('should measure the lifetime from now when iat is missing', () => {
      const { tokens, raw } = setup(100, 5);
      const now = nowSeconds();

      expect(tokens.verify(raw({ exp: now + MAX_TTL })).id).toBe(USER_ID);
      expect(() => tokens.verify(raw({ exp: now + MAX_TTL + 60 }))).toThrow(
        new UnauthorizedException(`Token lifetime must not exceed ${MAX_TTL} s`),
      );
    });

    it('should reject an iat in the future beyond the clock tolerance, and accept it within', () => {
      const { tokens, raw, fullVerify } = setup(100, 5);
      const now = nowSeconds();
      const future = raw({ iat: now + 60, exp: now + 120 });

      expect(tokens.verify(raw({ iat: now + 4, exp: now + 120 })).id).toBe(USER_ID);
      expect(() => tokens.verify(future)).toThrow(
        new UnauthorizedException('Token claim "iat" is in the future'),
      );
      expect(() => tokens.verify(future)).toThrow(UnauthorizedException);
      expect(fullVerify).toHaveBeenCalledTimes(3);
    });

    it('should reject an iat that is not a number', () => {
      const { tokens, raw } = setup();

      expect(() => tokens.verify(raw({ iat: 'yesterday', exp: nowSeconds() + 60 }))).toThrow(
        new UnauthorizedException('Token claim "iat" must be a number'),
      );
    });

    it('should accept its own tokens signed with the maximum lifetime', () => {
      const { tokens } = setup();

      expect(tokens.verify(tokens.sign({ id: USER_ID, role: 'admin' }, MAX_TTL)).role).toBe(
        'admin',
      );
    });
  });
});
