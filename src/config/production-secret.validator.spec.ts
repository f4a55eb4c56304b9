import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsString } from 'class-validator';
import { EnvValidationError } from './env-validation.error';
import {
  estimateEntropyBits,
  ProductionSecret,
  productionSecretProblem,
} from './production-secret.validator';
import { validateEnv } from './validate-env';

class SecretEnv {
  @IsString()
  @ProductionSecret()
  SAMPLE__SECRET: string;
}

/** The secrets committed in .env.development, read here (the rule itself never reads the file). */
function committedDevelopmentSecrets(): Array<[string, string]> {
  const file = readFileSync(join(__dirname, '..', '..', '.env.development'), 'utf8');
  return [...file.matchAll(/^([A-Z_]+SECRET[A-Z_]*)=(.+)$/gm)].map(([, key, value]) => [
    key,
    value.trim(),
  ]);
}

describe(ProductionSecret.name, () => {
  it('should refuse every secret committed in .env.development', () => {
    const secrets = committedDevelopmentSecrets();
    expect(secrets.map(([key]) => key)).toEqual(
      expect.arrayContaining(['AUTH__JWT_SECRET', 'PAGINATION__CURSOR_SECRET']),
    );
    for (const [key, value] of secrets) {
      expect(`${key}: ${productionSecretProblem(value) ?? 'accepted'}`).toMatch(/development/);
    }
  });

  it.each([
    ['the test default', 'test-only-jwt-secret-0123456789abcdefghijkl'],
    ['the Kubernetes template placeholder', 'CHANGE-ME-openssl-rand-hex-32-0000000000'],
    ['a marker in any case', 'prod-secret-ChangeMe-0123456789abcdefghij'],
  ])('should refuse %s', (_name, value) => {
    expect(productionSecretProblem(value)).toMatch(/placeholder/);
  });

  it.each([
    ['one repeated character', 'a'.repeat(40)],
    ['a two-character pattern', 'ab'.repeat(20)],
  ])('should refuse %s as too repetitive', (_name, value) => {
    expect(productionSecretProblem(value)).toMatch(/repetitive/);
  });

  it('should accept what openssl rand gives, at the shortest length allowed', () => {
    for (let i = 0; i < 1000; i += 1) {
      expect(productionSecretProblem(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(productionSecretProblem(randomBytes(24).toString('base64'))).toBeUndefined();
    }
  });

  it('should estimate entropy as length x bits per character', () => {
    expect(estimateEntropyBits('aaaa')).toBe(0);
    expect(estimateEntropyBits('0123456789abcdef'.repeat(2))).toBe(128);
  });

  it('should check nothing outside production', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      expect(() =>
        validateEnv(SecretEnv, { NODE_ENV, SAMPLE__SECRET: 'dev-only-secret' }),
      ).not.toThrow();
    }
  });

  it('should stop a production env naming the key and never the value', () => {
    const value = 'dev-only-sample-secret-0123456789abcdef';
    let caught: unknown;
    try {
      validateEnv(SecretEnv, { NODE_ENV: 'production', SAMPLE__SECRET: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvValidationError);
    expect((caught as EnvValidationError).problems).toEqual([
      expect.stringMatching(/^SAMPLE__SECRET: is a development, test or placeholder value/),
    ]);
    expect((caught as Error).message).not.toContain(value);
  });
});
