// Imported first by every entry point (main, worker): V8 flags are set before other code runs.
import { applyV8Flags } from './bootstrap/v8-flags';

applyV8Flags();
