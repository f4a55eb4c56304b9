import { registerAs } from '@nestjs/config';
import { IsString, Matches } from 'class-validator';
import { EnvInt, validateEnv } from '../config';

/** Env keys of the upstream behind `GET /external-data`. */
export class ExternalApiEnv {
  /** Upstream URL called (GET) through the `external_api` breaker. */
  @IsString()
  @Matches(/^https?:\/\/\S+$/, { message: '$property must be an http(s) URL' })
  EXTERNAL_API__URL = 'http://127.0.0.1:8089/data';

  /** Largest upstream body accepted, in KiB. */
  @EnvInt(1, 65536)
  EXTERNAL_API__MAX_BODY_KB = 1024;
}

/** Typed `externalApi` namespace. */
export const externalApiConfig = registerAs('externalApi', () => {
  const env = validateEnv(ExternalApiEnv, process.env);
  return { url: env.EXTERNAL_API__URL, maxBodyBytes: env.EXTERNAL_API__MAX_BODY_KB * 1024 };
});
