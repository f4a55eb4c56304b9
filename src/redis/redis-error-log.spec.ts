import { RedisErrorLog, type RedisEventSource } from './redis-error-log';

function connectError(): Error & { code: string } {
  return Object.assign(new Error('connect ECONNREFUSED redis://:s3cret@10.0.0.7:6379'), {
    code: 'ECONNREFUSED',
  });
}

describe(RedisErrorLog.name, () => {
  let now: number;
  let logger: { log: jest.Mock; warn: jest.Mock };
  let log: RedisErrorLog;

  beforeEach(() => {
    now = 0;
    logger = { log: jest.fn(), warn: jest.fn() };
    log = new RedisErrorLog('Cache', logger, 30_000, () => now);
  });

  it('should log the error code only, never the message, host or password', () => {
    log.error(connectError());

    expect(logger.warn).toHaveBeenCalledTimes(1);
    const line = String(logger.warn.mock.calls[0][0]);
    expect(line).toBe('Cache Redis unavailable (ECONNREFUSED); reconnecting in the background');
    expect(line).not.toMatch(/s3cret|10\.0\.0\.7|redis:\/\//);
  });

  it('should name an error without a plain code by its class, not its message', () => {
    log.error(Object.assign(new Error('WRONGPASS for user s3cret'), { code: 'bad code: s3cret' }));

    expect(logger.warn.mock.calls[0][0]).toBe(
      'Cache Redis unavailable (Error); reconnecting in the background',
    );
  });

  it('should log at most once per interval during an outage', () => {
    for (let i = 0; i < 100; i++) {
      now = i * 100;
      log.error(connectError());
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    now = 30_000;
    log.error(connectError());
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('should log the recovery once, and the next outage at once', () => {
    log.error(connectError());
    log.ready();
    log.ready();
    now = 10;
    log.error(connectError());

    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(logger.log).toHaveBeenCalledWith('Cache Redis connection restored');
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('should listen to a connection and keep its errors from being unhandled', () => {
    const listeners: Record<string, (arg?: unknown) => void> = {};
    const source = {
      on: (event: string, listener: (arg?: unknown) => void) => (listeners[event] = listener),
    };
    log.attach(source as unknown as RedisEventSource);

    listeners.error(connectError());
    listeners.ready();

    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.log).toHaveBeenCalledTimes(1);
  });
});
