import pino from 'pino';
import { accessLine, type AccessLineFields } from './access-log';

const TIME = 1_764_700_000_123;

/** What pino itself writes for the access line's fields, with a fixed clock. */
function pinoLine(fields: AccessLineFields): string {
  let written = '';
  const logger = pino(
    { level: 'info', timestamp: () => `,"time":${TIME}` },
    { write: (line: string) => (written = line) },
  );
  const line = {
    req: {
      id: fields.id,
      method: fields.method,
      url: fields.url,
      remoteAddress: fields.remoteAddress,
    },
    res: { statusCode: fields.statusCode },
    responseTime: fields.responseTime,
  };
  if (fields.statusCode >= 500) {
    logger.error(line, 'request errored');
  } else {
    logger.info(line, 'request completed');
  }
  return written;
}

const base: AccessLineFields = {
  id: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
  method: 'GET',
  url: '/agents?size=5',
  remoteAddress: '127.0.0.1',
  statusCode: 200,
  responseTime: 3,
};

describe('accessLine', () => {
  it.each([
    ['a 200', base],
    ['a 404 from IPv6', { ...base, statusCode: 404, remoteAddress: '::ffff:10.0.0.7' }],
    ['a 503 (level error)', { ...base, statusCode: 503 }],
    ['no client address', { ...base, remoteAddress: undefined }],
    [
      'a URL that needs escaping',
      { ...base, url: '/search?q="quoted"\\back\u0001slash\n&emoji=\u{1F600}\u2028' },
    ],
  ])('should write byte for byte what pino writes: %s', (_name, fields: AccessLineFields) => {
    const line = accessLine(fields, TIME);

    expect(line).toBe(pinoLine(fields));
    expect(JSON.parse(line)).toMatchObject({ req: { url: fields.url } });
  });
});
