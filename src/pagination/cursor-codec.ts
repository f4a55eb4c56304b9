import { BadRequestException } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CursorPosition } from './page-request';

/** A signing key of cursors; the first key signs, all keys verify (rotation). */
export interface CursorKey {
  id: string;
  secret: string;
}

interface CursorPayload {
  v: 1;
  /** resource name */
  r: string;
  /** sort + filter signature the cursor was issued for */
  s: string;
  d: 'next' | 'prev';
  k: string[];
  /** expiry, seconds since the epoch */
  e: number;
}

const MAX_CURSOR_LENGTH = 1024;
const invalid = (reason: string) => new BadRequestException(`cursor: ${reason}`);

/**
 * Opaque keyset cursors: `kid.payload.mac`, payload = base64url JSON with the resource, the
 * sort/filter signature, the direction and the exact sort keys; mac = HMAC-SHA256 (128 bits).
 */
export class CursorCodec {
  constructor(
    private readonly keys: readonly CursorKey[],
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (keys.length === 0) {
      throw new Error('CursorCodec needs at least one key');
    }
  }

  encode(resource: string, signature: string, position: CursorPosition): string {
    const key = this.keys[0];
    const payload: CursorPayload = {
      v: 1,
      r: resource,
      s: signature,
      d: position.direction,
      k: position.keys,
      e: Math.floor(this.now() / 1000) + this.ttlSeconds,
    };
    const body = `${key.id}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.mac(key.secret, body)}`;
  }

  /**
   * Verifies and decodes a cursor for this resource and signature.
   * @throws BadRequestException naming `cursor` for malformed, tampered, expired or foreign cursors.
   */
  decode(cursor: string, resource: string, signature: string): CursorPosition {
    if (cursor.length > MAX_CURSOR_LENGTH) {
      throw invalid('is too long');
    }
    const parts = cursor.split('.');
    if (parts.length !== 3) {
      throw invalid('is malformed');
    }
    const [kid, encoded, mac] = parts;
    const key = this.keys.find((candidate) => candidate.id === kid);
    if (!key) {
      throw invalid('was signed with an unknown key');
    }
    const expected = Buffer.from(this.mac(key.secret, `${kid}.${encoded}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw invalid('signature does not match');
    }
    let payload: CursorPayload;
    try {
      payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as CursorPayload;
    } catch {
      throw invalid('is malformed');
    }
    if (
      payload.v !== 1 ||
      !Array.isArray(payload.k) ||
      (payload.d !== 'next' && payload.d !== 'prev')
    ) {
      throw invalid('is malformed');
    }
    if (payload.e * 1000 < this.now()) {
      throw invalid('has expired; start again from the first page');
    }
    if (payload.r !== resource || payload.s !== signature) {
      throw invalid('was issued for another resource, sort, filter or search');
    }
    return { direction: payload.d, keys: payload.k.map(String) };
  }

  private mac(secret: string, body: string): string {
    return createHmac('sha256', secret).update(body).digest().subarray(0, 16).toString('base64url');
  }
}
