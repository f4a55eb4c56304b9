import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { changesData, statementKind } from '../sql-text';
import { parseLsn } from './lsn';
import { currentReadScope } from './read-scope';
import { ReplicaMonitor } from './replica-monitor';
import { WriteMarks } from './write-marks';

/** When the write's position cannot be read: the caller and cache fills read the primary. */
const UNKNOWN_POSITION = Number.MAX_SAFE_INTEGER;

/**
 * Records each committed write's WAL position as the caller's mark (inside an HTTP request) and
 * the fleet's, as a TypeORM subscriber: TypeORM awaits `afterQuery` before the statement (or
 * the COMMIT) returns to its caller, so the marks are in Redis before the handler goes on to
 * invalidate the response cache or answer. A statement inside a transaction is recorded at its
 * COMMIT; the position is read on the same connection (no second pool slot). Queue jobs' writes
 * raise the fleet's mark too, so their cache invalidations are covered.
 */
@Injectable()
export class WriteRecorder implements EntitySubscriberInterface, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly monitor: ReplicaMonitor,
    private readonly marks: WriteMarks,
  ) {}

  onModuleInit(): void {
    if (this.monitor.enabled) {
      this.dataSource.subscribers.push(this);
    }
  }

  afterQuery(event: AfterQueryEvent): Promise<void> | void {
    if (!event.success) {
      return;
    }
    const committed =
      statementKind(event.query) === 'COMMIT' ||
      (!event.queryRunner.isTransactionActive && changesData(event.query));
    if (committed) {
      return this.record(event);
    }
  }

  private async record(event: AfterQueryEvent): Promise<void> {
    const position = await event.queryRunner
      .query('SELECT pg_current_wal_lsn()::text AS lsn')
      .then((rows: Array<{ lsn: string }>) => parseLsn(rows[0]?.lsn) ?? UNKNOWN_POSITION)
      .catch(() => UNKNOWN_POSITION);
    await this.marks.record(currentReadScope()?.principal, position);
  }
}
