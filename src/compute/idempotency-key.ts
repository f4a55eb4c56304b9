import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

/** Longest accepted `Idempotency-Key`, in characters. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;
const KEY_SHAPE = /^[A-Za-z0-9._:-]+$/;

/**
 * Checks the optional `Idempotency-Key` header: absent is fine; present, it must be 1 to 200
 * characters of letters, digits and `. _ : -` (a UUID fits; a repeated header, joined with
 * commas, does not), else 400 naming the header.
 */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > IDEMPOTENCY_KEY_MAX_LENGTH ||
    !KEY_SHAPE.test(value)
  ) {
    throw new BadRequestException(
      `Idempotency-Key header must be 1-${IDEMPOTENCY_KEY_MAX_LENGTH} characters of letters, digits and . _ : -`,
    );
  }
  return value;
}

/** The request's checked `Idempotency-Key` header (see {@link parseIdempotencyKey}). */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    parseIdempotencyKey(
      context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'],
    ),
);

/**
 * The task id of a caller's idempotency key: a UUID (v4 layout) derived from the owner and the
 * key, so a retried POST names the same task, and two users' keys never meet.
 */
export function idempotentTaskId(ownerId: string, key: string): string {
  const bytes = createHash('sha256').update(`compute\n${ownerId}\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
