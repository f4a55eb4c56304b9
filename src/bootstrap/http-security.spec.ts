import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import { apiHelmetOptions, helmetHeaders, PAGE_CSP } from './http-security';

/** The headers helmet's own middleware sends for `options` on a real loopback response. */
async function headersFromHelmet(options: HelmetOptions): Promise<IncomingHttpHeaders> {
  const middleware = helmet(options);
  const server: Server = createServer((request, response) =>
    middleware(request, response, () => response.end()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.arrayBuffer();
    return Object.fromEntries(response.headers.entries());
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** What any HTTP response carries, with or without helmet. */
const TRANSPORT = ['connection', 'content-length', 'date', 'keep-alive', 'transfer-encoding'];

describe('helmetHeaders', () => {
  it.each([
    ['the API set with HSTS', apiHelmetOptions({})],
    [
      'the page policy without HSTS',
      { contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP }, hsts: false },
    ],
  ] as const)(
    'should compute once exactly what helmet sends per request: %s',
    async (_name, options: HelmetOptions) => {
      const full = { ...options, frameguard: { action: 'deny' } } as HelmetOptions;
      const expected = await headersFromHelmet(full);
      for (const name of TRANSPORT) {
        delete expected[name];
      }

      expect(helmetHeaders(full)).toEqual(expected);
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(5);
    },
  );

  it("should send JSON responses the OWASP REST set only, and pages helmet's full set", () => {
    const shared = { frameguard: { action: 'deny' } } as const;
    expect(Object.keys(helmetHeaders(apiHelmetOptions(shared))).sort()).toEqual([
      'content-security-policy',
      'cross-origin-resource-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
    ]);
    const page = helmetHeaders({
      ...shared,
      contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP },
    });
    expect(page).toMatchObject({ 'referrer-policy': 'no-referrer', 'x-xss-protection': '0' });
    expect(Object.keys(page).length).toBeGreaterThanOrEqual(12);
  });

  it('should throw at boot on an option helmet refuses, not per request', () => {
    expect(() =>
      helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives: {} } }),
    ).toThrow();
  });
});
