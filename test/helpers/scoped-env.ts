/** Env keys set by a suite and put back as they were afterwards. */
export interface ScopedEnv {
  /** Sets the keys (the first value each key had is remembered). */
  set(values: Record<string, string>): void;
  /** Puts every key set back to its value before the first `set` (unset ones are deleted). */
  restore(): void;
}

/** For suites that boot apps with env of their own (a throwaway database, tighter timeouts). */
export function scopedEnv(): ScopedEnv {
  const saved: Record<string, string | undefined> = {};
  return {
    set(values) {
      for (const [key, value] of Object.entries(values)) {
        if (!(key in saved)) {
          saved[key] = process.env[key];
        }
        process.env[key] = value;
      }
    },
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
        delete saved[key];
      }
    },
  };
}
