/** A snapshot of a long-running load: rows done out of total after some time. */
export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
}

/** `1234567` -> `1,234,567`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Seconds as `45s`, `2m05s` or `1h02m`; `--` when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) {
    return '--';
  }
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) {
    return `${whole}s`;
  }
  const pad = (value: number): string => String(value).padStart(2, '0');
  if (whole < 3600) {
    return `${Math.floor(whole / 60)}m${pad(whole % 60)}s`;
  }
  return `${Math.floor(whole / 3600)}h${pad(Math.floor((whole % 3600) / 60))}m`;
}

/** One progress line: `[#####-----]  50.0% 500,000/1,000,000 rows  125,000 rows/s  ETA 4s`. */
export function formatProgress(state: ProgressState, width = 30): string {
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 1;
  const filled = Math.round(fraction * width);
  const rate = state.elapsedMs > 0 ? state.done / (state.elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (state.total - state.done) / rate : undefined;
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const percent = `${(fraction * 100).toFixed(1)}%`.padStart(6);
  return (
    `[${bar}] ${percent} ${formatCount(state.done)}/${formatCount(state.total)} rows  ` +
    `${formatCount(rate)} rows/s  ETA ${formatDuration(eta)}`
  );
}

/** Where a progress bar draws: a TTY is redrawn in place, anything else gets a line per 10%. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A progress bar on stderr, redrawn at most ten times a second. */
export class ProgressBar {
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastDecile = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly output: ProgressOutput = process.stderr,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Reports `done` rows; cheap enough to call for every chunk. */
  update(done: number): void {
    const now = this.now();
    if (this.output.isTTY) {
      if (now - this.lastDraw >= 100) {
        this.lastDraw = now;
        this.output.write(`\r${this.line(done, now)}\x1b[K`);
      }
      return;
    }
    const decile = this.total > 0 ? Math.floor((done / this.total) * 10) : 10;
    // 100% is drawn by finish(), with the final rate.
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      this.output.write(`${this.line(done, now)}\n`);
    }
  }

  /** Draws the final state and ends the line. */
  finish(done: number): void {
    const line = this.line(done, this.now());
    this.output.write(this.output.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
  }

  private line(done: number, now: number): string {
    const state = { done, total: this.total, elapsedMs: now - this.started };
    return `${this.label} ${formatProgress(state)}`;
  }
}
