/**
 * Thrown at boot when the environment does not satisfy a module's config rules.
 * The message lists one line per bad key, naming the key and the rule, never the value.
 */
export class EnvValidationError extends Error {
  readonly kind = 'env-validation' as const;

  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = EnvValidationError.name;
  }
}
