/** Enqueueing a task name that no `@Task` handler declares (a programming error). */
export class UnknownTaskError extends Error {
  readonly kind = 'unknown-task' as const;

  constructor(readonly task: string) {
    super(`No @Task('${task}') handler is registered`);
    this.name = UnknownTaskError.name;
  }
}
