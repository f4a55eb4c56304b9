import { AGENT_TYPES } from '../src/agents/agents.constants';
/** Agent types of the domain (the API's own list), spread evenly over seeded rows. */
export { AGENT_TYPES };

/** Statuses with their share of seeded rows: mostly active, like a real fleet. */
export const AGENT_STATUS_WEIGHTS = [
  ['active', 0.6],
  ['inactive', 0.3],
  ['archived', 0.1],
] as const;

/** Owner of every seeded agent: a fixed user, so seeded rows can be counted and removed. */
export const SEED_OWNER_ID = '5eed0000-0000-4000-8000-000000000001';

/** Seeded agents are named `seed-agent-000000001`, ...: zero-padded so names sort by index. */
export const SEED_AGENT_PREFIX = 'seed-agent-';

/** Seeded tools are named `seed-tool-0001`, .... */
export const SEED_TOOL_PREFIX = 'seed-tool-';

const MODELS = ['gpt-4o-mini', 'claude-3-5-sonnet', 'llama-3.1-70b', 'mistral-large', 'default'];
const TOOL_NAMES = ['web_search', 'calculator', 'code_exec', 'knowledge_search', 'http_get'];
const TOPICS = ['billing', 'onboarding', 'incident triage', 'market research', 'code review'];
const MICROS_PER_YEAR = 365.25 * 24 * 3600 * 1e6;

/** Options of {@link SeedAgentGenerator}. */
export interface SeedAgentOptions {
  /** Index of the first row (rows already seeded), so names continue where a run stopped. */
  start: number;
  /** "Now" in epoch microseconds; created_at falls in the two years before it. */
  nowMicros: number;
  /** Share of rows whose created_at equals the previous row's. @default 0.2 */
  tieRatio?: number;
  /** PRNG seed; the same seed and start give the same rows. @default 42 */
  seed?: number;
}

/** mulberry32: a small, fast, seedable PRNG (uniform floats in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Epoch microseconds as an ISO timestamp with all six fractional digits. */
export function formatMicros(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/**
 * Makes realistic agent rows as COPY text lines (`name, type, status, description, config,
 * owner_id, created_at, updated_at`). About one row in five repeats the previous row's
 * created_at exactly, so keyset pagination meets real ties. Generated values never contain
 * tabs, newlines or backslashes, so they need no COPY escaping.
 */
export class SeedAgentGenerator {
  private readonly random: () => number;
  private readonly tieRatio: number;
  private index: number;
  private previousMicros?: number;

  constructor(private readonly options: SeedAgentOptions) {
    this.random = mulberry32((options.seed ?? 42) + options.start);
    this.tieRatio = options.tieRatio ?? 0.2;
    this.index = options.start;
  }

  /** The next row as one COPY line, newline included. */
  nextLine(): string {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(this.random() * items.length)];
    const number = this.index++;
    const type = pick(AGENT_TYPES);
    const status = this.status();
    const createdAt = formatMicros(this.createdAtMicros());
    const config = JSON.stringify({
      model: pick(MODELS),
      temperature: Math.round(this.random() * 100) / 100,
      max_tokens: 256 * (1 + Math.floor(this.random() * 16)),
      tools: TOOL_NAMES.filter(() => this.random() < 0.4),
      memory: pick(['buffer', 'summary', 'none']),
      system_prompt: `You are ${type} agent ${number}.`,
    });
    const description = `Seeded ${type} agent for ${pick(TOPICS)}`;
    const name = `${SEED_AGENT_PREFIX}${String(number).padStart(9, '0')}`;
    return `${name}\t${type}\t${status}\t${description}\t${config}\t${SEED_OWNER_ID}\t${createdAt}\t${createdAt}\n`;
  }

  private status(): string {
    let roll = this.random();
    for (const [status, weight] of AGENT_STATUS_WEIGHTS) {
      roll -= weight;
      if (roll < 0) {
        return status;
      }
    }
    return AGENT_STATUS_WEIGHTS[0][0];
  }

  private createdAtMicros(): number {
    if (this.previousMicros !== undefined && this.random() < this.tieRatio) {
      return this.previousMicros;
    }
    const age = Math.floor(this.random() * 2 * MICROS_PER_YEAR);
    this.previousMicros = this.options.nowMicros - age;
    return this.previousMicros;
  }
}

/** Columns of {@link SeedAgentGenerator.nextLine}, in order, for the COPY statement. */
export const SEED_AGENT_COLUMNS = [
  'name',
  'type',
  'status',
  'description',
  'config',
  'owner_id',
  'created_at',
  'updated_at',
] as const;
