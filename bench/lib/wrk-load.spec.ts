import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chooseLoadGenerator, parseWrkOutput, runWrk, wrkVersion } from './wrk-load';

const SUMMARY =
  '{"requests":50635,"durationMicros":2001234,"connectErrors":0,"readErrors":1,"writeErrors":0,"timeouts":2,"statusErrors":7,"p50Micros":1880,"p99Micros":3840}';

describe(parseWrkOutput.name, () => {
  it("should read the summary script's line after wrk's own report", () => {
    const output = `Running 2s test @ http://127.0.0.1:1/\n  1 threads and 50 connections\n  50635 requests in 2.00s, 134.68MB read\nRequests/sec:  25306.55\n${SUMMARY}\n`;

    expect(parseWrkOutput(output)).toEqual({
      requests: 50635,
      requestsPerSecond: 50635 / 2.001234,
      p50Ms: 1.88,
      p99Ms: 3.84,
      errors: 3,
      non2xx: 7,
      mismatches: 0,
      seconds: 2.001234,
      statusCounts: { 'below 400': 50628, '400 or more': 7 },
    });
  });

  it('should refuse an output without the summary', () => {
    expect(() => parseWrkOutput('Running 2s test\nunable to connect\n')).toThrow(
      /wrk printed no summary/,
    );
  });
});

describe(chooseLoadGenerator.name, () => {
  const installed = () => '4.1.0';
  const missing = () => undefined;

  it('should take wrk when it is installed, autocannon (said so) when not', () => {
    expect(chooseLoadGenerator(undefined, installed)).toEqual({
      generator: 'wrk',
      describe: 'wrk 4.1.0, 1 thread',
    });
    expect(chooseLoadGenerator(undefined, missing).generator).toBe('autocannon');
    expect(chooseLoadGenerator(undefined, missing).describe).toMatch(/no wrk on the PATH/);
  });

  it('should follow BENCH_LOAD_GENERATOR, and refuse wrk when it is missing or an unknown name', () => {
    expect(chooseLoadGenerator('autocannon', installed).generator).toBe('autocannon');
    expect(() => chooseLoadGenerator('wrk', missing)).toThrow(/apt-get install wrk/);
    expect(() => chooseLoadGenerator('ab', installed)).toThrow(/wrk or autocannon/);
  });
});

// Against a real wrk when the machine has one (the bench's own machines do: Debian package `wrk`).
const withWrk = wrkVersion() === undefined ? describe.skip : describe;

withWrk(runWrk.name, () => {
  let server: Server;
  let served = 0;
  let status = 200;
  let seen: IncomingHttpHeaders = {};

  beforeAll(async () => {
    server = createServer((request, response) => {
      served++;
      seen = request.headers;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  it('should count the responses the server sent, with the headers it was given', async () => {
    served = 0;
    status = 200;

    const load = await runWrk({
      url: url(),
      connections: 2,
      duration: 1,
      headers: { authorization: 'Bearer abc' },
    });

    expect(load.requests).toBeGreaterThan(0);
    // Requests still in flight when wrk stops were served but not counted.
    expect(served).toBeGreaterThanOrEqual(load.requests);
    expect([load.errors, load.non2xx]).toEqual([0, 0]);
    expect(load.requestsPerSecond).toBeGreaterThan(0);
    expect(seen.authorization).toBe('Bearer abc');
  });

  it('should count responses of 400 or more as failures', async () => {
    status = 503;

    const load = await runWrk({ url: url(), connections: 1, duration: 1 });

    expect(load.requests).toBeGreaterThan(0);
    expect(load.non2xx).toBe(load.requests);
  });
});
