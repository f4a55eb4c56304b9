/**
 * A batch write failed on one row: `rowIndex` is the 0-based index in the rows given to the
 * writer, `column` the column PostgreSQL named (when it did). The whole batch was rolled back.
 * Maps to the status of the driver error's SQLSTATE (400 or 409) naming the row.
 */
export class BatchRowError extends Error {
  readonly kind = 'batch-row' as const;

  constructor(
    readonly rowIndex: number,
    readonly column: string | undefined,
    readonly driverError: Error,
  ) {
    super(`Batch row ${rowIndex} was rejected by the database`);
    this.name = BatchRowError.name;
  }
}
