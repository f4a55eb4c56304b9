import { AppEnv } from './app.config';
import { parseOriginList } from './origin-list.validator';
import { validateEnv } from './validate-env';

describe('HTTP__CORS_ORIGINS', () => {
  it('should default to no origin (CORS off), credentials off and a 10 min preflight cache', () => {
    const env = validateEnv(AppEnv, {});
    expect(parseOriginList(env.HTTP__CORS_ORIGINS)).toEqual([]);
    expect(env).toMatchObject({ HTTP__CORS_CREDENTIALS: false, HTTP__CORS_MAX_AGE_S: 600 });
  });

  it('should accept exact origins, with ports, spaces around commas, and * alone', () => {
    for (const origins of ['https://app.example.com, http://localhost:5173', '*']) {
      expect(() => validateEnv(AppEnv, { HTTP__CORS_ORIGINS: origins })).not.toThrow();
    }
    expect(parseOriginList(' https://a.example , http://localhost:5173 ,')).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
  });

  it.each([
    ['a path', 'https://app.example.com/app'],
    ['a trailing slash', 'https://app.example.com/'],
    ['no scheme', 'app.example.com'],
    ['another scheme', 'ftp://app.example.com'],
    ['* in a list', 'https://app.example.com,*'],
  ])('should refuse %s, naming the key', (_name, origins) => {
    expect(() => validateEnv(AppEnv, { HTTP__CORS_ORIGINS: origins })).toThrow(
      /HTTP__CORS_ORIGINS: must be "\*" or a comma list of origins/,
    );
  });

  it('should refuse credentials with any origin, and allow them with listed origins', () => {
    expect(() =>
      validateEnv(AppEnv, { HTTP__CORS_ORIGINS: '*', HTTP__CORS_CREDENTIALS: 'true' }),
    ).toThrow(/HTTP__CORS_CREDENTIALS: must be false when HTTP__CORS_ORIGINS is \*/);
    expect(
      validateEnv(AppEnv, {
        HTTP__CORS_ORIGINS: 'https://app.example.com',
        HTTP__CORS_CREDENTIALS: 'true',
      }).HTTP__CORS_CREDENTIALS,
    ).toBe(true);
  });
});
