import type { AfterQueryEvent, DataSource } from 'typeorm';
import { runInReadScope } from './read-scope';
import type { ReplicaMonitor } from './replica-monitor';
import type { WriteMarks } from './write-marks';
import { WriteRecorder } from './write-recorder';

describe(WriteRecorder.name, () => {
  const setup = (lsn: string | Error = '0/100') => {
    const record = jest.fn<Promise<void>, [string | undefined, number]>(() => Promise.resolve());
    const recorder = new WriteRecorder(
      { subscribers: [] } as unknown as DataSource,
      { enabled: true } as ReplicaMonitor,
      { record } as unknown as WriteMarks,
    );
    const query = jest.fn(() =>
      lsn instanceof Error ? Promise.reject(lsn) : Promise.resolve([{ lsn }]),
    );
    const event = (sql: string, inTransaction = false, success = true) =>
      ({
        query: sql,
        success,
        queryRunner: { isTransactionActive: inTransaction, query },
      }) as unknown as AfterQueryEvent;
    return { recorder, record, query, event };
  };

  it('should record an autocommit write with the caller of the request', async () => {
    const { recorder, record, event } = setup('0/2A');
    const scope = { lagTolerant: true, principal: 'user-1', fillsCache: false, wrote: false };

    await runInReadScope(scope, () => recorder.afterQuery(event('UPDATE tools SET x = $1')));

    expect(record).toHaveBeenCalledWith('user-1', 0x2a);
  });

  it('should record a transaction at its COMMIT, not at its statements', async () => {
    const { recorder, record, event } = setup();

    await recorder.afterQuery(event('INSERT INTO agents VALUES ($1)', true));
    await recorder.afterQuery(event('COMMIT', true));

    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith(undefined, 0x100);
  });

  it.each([
    'SELECT 1',
    'START TRANSACTION',
    'ROLLBACK',
    'SET LOCAL x = 1',
    'SHOW x',
    'WITH page AS MATERIALIZED (SELECT 1) SELECT * FROM page',
    'EXPLAIN (FORMAT JSON) SELECT 1',
  ])('should not record %s', async (sql) => {
    const { recorder, record, event } = setup();

    await recorder.afterQuery(event(sql));

    expect(record).not.toHaveBeenCalled();
  });

  it('should not record a failed write', async () => {
    const { recorder, record, event } = setup();

    await recorder.afterQuery(event('DELETE FROM tools', false, false));

    expect(record).not.toHaveBeenCalled();
  });

  it('should pin to the primary when the position cannot be read', async () => {
    const { recorder, record, event } = setup(new Error('connection lost'));

    await recorder.afterQuery(event('DELETE FROM tools'));

    expect(record).toHaveBeenCalledWith(undefined, Number.MAX_SAFE_INTEGER);
  });
});
