import calculateSlot from 'cluster-key-slot';

/**
 * A hash tag for a group of keys that must live in one cluster slot (read or written together):
 * `{<prefix>:<group>}`. The prefix is inside the braces so two deployments sharing a cluster put
 * their groups on different slots; Redis hashes only what is between the first `{` and `}`.
 */
export function hashTag(keyPrefix: string, group: string): string {
  return `{${keyPrefix}:${group}}`;
}

/** The cluster slot of a key (CRC16 of its hash tag, or of the whole key), 0-16383. */
export function keySlot(key: string): number {
  return calculateSlot(key);
}

/**
 * The positions of `keys` grouped by slot, in first-seen order: one multi-key command per group
 * is what a cluster accepts (a cross-slot MGET or UNLINK is refused with CROSSSLOT).
 */
export function groupBySlot(keys: readonly string[]): number[][] {
  const groups = new Map<number, number[]>();
  keys.forEach((key, index) => {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group) {
      group.push(index);
    } else {
      groups.set(slot, [index]);
    }
  });
  return [...groups.values()];
}

/**
 * A multi-key read issued once per slot, in parallel, with the replies put back in the order of
 * `keys`. With a single slot (keys sharing a hash tag) it is one command, as on a standalone Redis.
 */
export async function readBySlot<Value>(
  keys: readonly string[],
  read: (keys: string[]) => Promise<Value[]>,
): Promise<Value[]> {
  const groups = groupBySlot(keys);
  if (groups.length === 1) {
    return read([...keys]);
  }
  const replies = new Array<Value>(keys.length);
  await Promise.all(
    groups.map(async (positions) => {
      const values = await read(positions.map((position) => keys[position]));
      positions.forEach((position, index) => (replies[position] = values[index]));
    }),
  );
  return replies;
}

/** A multi-key write (UNLINK, DEL) issued once per slot, in parallel; the counts are summed. */
export async function countBySlot(
  keys: readonly string[],
  write: (keys: string[]) => Promise<number>,
): Promise<number> {
  const counts = await Promise.all(
    groupBySlot(keys).map((positions) => write(positions.map((position) => keys[position]))),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
