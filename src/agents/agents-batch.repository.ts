import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { BatchColumn, copyRows, insertRowsChunked, QueryObserver } from '../persistence';
import { COPY_THRESHOLD } from './agents.constants';

/** A row of a batch insert; created_at and updated_at take the column default (now()). */
export interface NewAgentRow {
  id: string;
  name: string;
  type: string;
  status: string;
  description: string | null;
  config: Record<string, unknown>;
  owner_id: string;
}

/** A row of a batch update; `undefined` keeps the current value, `null` clears description. */
export interface AgentRowPatch {
  id: string;
  name?: string;
  type?: string;
  status?: string;
  description?: string | null;
  config?: Record<string, unknown>;
}

const INSERT_COLUMNS: BatchColumn<NewAgentRow>[] = (
  ['id', 'name', 'type', 'status', 'description', 'config', 'owner_id'] as const
).map((name) => ({ name, value: (row: NewAgentRow) => row[name] }));

const PATCHABLE = ['name', 'type', 'status', 'description', 'config'] as const;

// One statement for the whole batch: unnest() turns the column arrays into rows, and each
// set_<field> flag tells "absent, keep" from a given value (including an explicit null).
const UPDATE_SQL = `
  UPDATE agents a SET
    ${PATCHABLE.map((f) => `${f} = CASE WHEN u.set_${f} THEN u.${f} ELSE a.${f} END`).join(',\n    ')},
    updated_at = now()
  FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::text[], $5::bool[], $6::text[], $7::bool[],
              $8::text[], $9::bool[], $10::jsonb[], $11::bool[])
    AS u(id, ${PATCHABLE.map((f) => `${f}, set_${f}`).join(', ')})
  WHERE a.id = u.id AND (a.owner_id = $12 OR $13::bool)
  RETURNING a.id`;

/** Set-based writes of many agents, each batch in one transaction. */
@Injectable()
export class AgentsBatchRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly observer: QueryObserver,
  ) {}

  /** Inserts all rows or none: COPY for large batches, multi-row INSERTs for small ones. */
  async insertAll(rows: readonly NewAgentRow[]): Promise<void> {
    await this.inTransaction(async (runner) => {
      if (rows.length >= COPY_THRESHOLD) {
        await copyRows(runner, 'agents', INSERT_COLUMNS, rows, this.observer);
      } else {
        await insertRowsChunked(runner, 'agents', INSERT_COLUMNS, rows);
      }
      return true;
    });
  }

  /**
   * Updates every patched agent the caller may change (owner, or any when `isAdmin`) with one
   * UPDATE. All or nothing: when some ids were not updated, rolls back and returns those ids.
   */
  async updateAll(
    patches: readonly AgentRowPatch[],
    ownerId: string,
    isAdmin: boolean,
  ): Promise<string[]> {
    const parameters: unknown[] = [patches.map((p) => p.id)];
    for (const field of PATCHABLE) {
      parameters.push(
        patches.map((p) => (field === 'config' ? toJson(p.config) : (p[field] ?? null))),
        patches.map((p) => p[field] !== undefined),
      );
    }
    parameters.push(ownerId, isAdmin);
    let missing: string[] = [];
    await this.inTransaction(async (runner) => {
      // For UPDATE ... RETURNING, TypeORM's query() resolves to [rows, affected count].
      const [rows] = (await runner.query(UPDATE_SQL, parameters)) as [
        Array<{ id: string }>,
        number,
      ];
      const updated = new Set(rows.map((row) => row.id));
      missing = patches.map((p) => p.id).filter((id) => !updated.has(id));
      return missing.length === 0;
    });
    return missing;
  }

  /** Runs `work` in a transaction; commits when it returns true, rolls back otherwise. */
  private async inTransaction(work: (runner: QueryRunner) => Promise<boolean>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      if (await work(runner)) {
        await runner.commitTransaction();
      } else {
        await runner.rollbackTransaction();
      }
    } catch (error) {
      if (runner.isTransactionActive) {
        // A dead connection fails the rollback too (the server rolls back on its own); the
        // first error is the one that says what happened.
        await runner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    } finally {
      await runner.release();
    }
  }
}

function toJson(value: Record<string, unknown> | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
