/** Enqueueing a task name that no `@Task` handler of the queue declares (a programming error). */
export class UnknownTaskError extends Error {
  readonly kind = 'unknown-task' as const;

  constructor(
    readonly task: string,
    readonly queue: string,
  ) {
    super(`No @Task('${task}') handler is registered on queue "${queue}"`);
    this.name = UnknownTaskError.name;
  }
}
