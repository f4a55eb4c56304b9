import { JwtService } from '@nestjs/jwt';
import { authConfig, jwtModuleOptions, Role, TokenService } from '../../src/auth';

/**
 * An `Authorization` header value that a server started from this process's environment accepts
 * (same AUTH__* settings), e.g. for a spawned app or fixture.
 */
export function bearerFor(id: string, role: Role = 'user'): string {
  const config = authConfig();
  const tokens = new TokenService(new JwtService(jwtModuleOptions(config)), config);
  return `Bearer ${tokens.sign({ id, role })}`;
}
