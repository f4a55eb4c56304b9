import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { jwtModuleOptions } from './auth.module';
import { TokenService } from './token.service';

const USER_ID = '7d3f1c52-8a8e-4c8a-9d0e-2f1f0d7c6b5a';

function setup(verifiedTokenCacheSize = 100, clockToleranceSeconds = 0) {
  const config = {
    jwtSecret: 'unit-test-secret-0123456789abcdefghijkl',
    tokenTtlSeconds: 60,
    clockToleranceSeconds,
    verifiedTokenCacheSize,
  };
  const jwt = new JwtService(jwtModuleOptions(config));
  const fullVerify = jest.spyOn(jwt, 'verify');
  return { tokens: new TokenService(jwt, config), fullVerify };
}

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
});
