export { RateLimitModule } from './rate-limit.module';
export { RateLimit } from './rate-limit.decorator';
export { isRateLimitExempt } from './rate-limit.constants';
export type { RateLimitOptions } from './rate-limit.decorator';
export { rateLimitConfig, RateLimitEnv } from './rate-limit.config';
export type { RateLimitConfig } from './rate-limit.config';
