import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtModuleOptions } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { authConfig } from './auth.config';
import { AuthGuard } from './auth.guard';
import { TokenService } from './token.service';

/**
 * The JwtService options for the app's tokens: HS256 with the secret as a KeyObject, not the
 * string. Given a string, jsonwebtoken first tries to parse it as a PEM public key on every call
 * and builds the secret key from the exception: that was ~30% of the CPU of an authenticated
 * request (`GET /compute/{id}` p50 1.3 ms, loopback, before; see the README benchmarks).
 */
export function jwtModuleOptions(auth: ConfigType<typeof authConfig>): JwtModuleOptions {
  return {
    secret: createSecretKey(Buffer.from(auth.jwtSecret, 'utf8')),
    signOptions: { algorithm: 'HS256' },
    verifyOptions: { algorithms: ['HS256'] },
  };
}

/** Bearer-JWT authentication as a global guard; see `@Public()` and `@Roles()`. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: jwtModuleOptions,
    }),
  ],
  providers: [TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService],
})
export class AuthModule {}
