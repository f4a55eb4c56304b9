import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';

/**
 * The client address Fastify's `request.ip` gives for the same request: the socket's peer, or
 * with `trustProxy: hops` the address `hops` proxies back in `X-Forwarded-For` (Fastify's own
 * rule, `lib/request.js`), so the edge counts a request against the same rate limit subject.
 */
export function clientIpOf(request: IncomingMessage, trustedHops: number): string | undefined {
  if (trustedHops <= 0) {
    return request.socket.remoteAddress;
  }
  const addresses = proxyAddr.all(request, (_address, index) => index < trustedHops);
  return addresses[addresses.length - 1];
}
