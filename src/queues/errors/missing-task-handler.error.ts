/** Boot check: jobs wait in a queue under names no handler in this process can run. */
export class MissingTaskHandlerError extends Error {
  readonly kind = 'missing-task-handler' as const;

  constructor(
    readonly queue: string,
    readonly names: string[],
  ) {
    super(
      `Queue "${queue}" holds jobs named ${names.map((n) => `"${n}"`).join(', ')} but no @Task handles them`,
    );
    this.name = MissingTaskHandlerError.name;
  }
}
