/** A manifest problem: JSON pointer into the document and what is wrong there. */
export interface ManifestProblem {
  path: string;
  message: string;
}

interface Tracked {
  /** Keys the validator looked up, per object. */
  read: WeakMap<object, Set<string>>;
  /** Objects whose keys the validator enumerated (maps such as labels: any key is allowed). */
  enumerated: WeakSet<object>;
}

/** A kubernetes-models class: its prototype's `validate()` checks `this` against the schema. */
type ModelClass = { prototype: { validate(): void } };

/**
 * Validates a Kubernetes manifest against the schema of its apiVersion/kind (kubernetes-models,
 * generated from the official OpenAPI document: types, formats, required fields, enums) and
 * rejects unknown fields as `kubectl apply --validate=strict` does.
 *
 * The generated validators do not check `additionalProperties`, but they look up every property
 * their schema declares, and enumerate the keys of free-form maps. So the document is validated
 * through proxies that record those look-ups: a key of an object that its schema neither named
 * nor enumerated is unknown.
 */
export function validateManifest(doc: Record<string, unknown>): ManifestProblem[] {
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [{ path: '', message: 'apiVersion and kind are required' }];
  }
  let model: ModelClass;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen by apiVersion/kind
    model = (require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>)[
      kind
    ];
  } catch {
    return [{ path: '', message: `unknown apiVersion/kind ${apiVersion}/${kind}` }];
  }
  const tracked: Tracked = { read: new WeakMap(), enumerated: new WeakSet() };
  const problems: ManifestProblem[] = [];
  try {
    model.prototype.validate.call(track(doc, tracked, new WeakMap()));
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    if (!errors) {
      throw error;
    }
    problems.push(
      ...errors.map((e) => ({ path: e.instancePath, message: e.message ?? 'invalid' })),
    );
  }
  collectUnknown(doc, '', tracked, problems);
  return problems;
}

function track(value: unknown, tracked: Tracked, proxies: WeakMap<object, object>): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const existing = proxies.get(value);
  if (existing) {
    return existing;
  }
  const read = new Set<string>();
  tracked.read.set(value, read);
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        read.add(key);
      }
      return track(Reflect.get(target, key, receiver), tracked, proxies);
    },
    has(target, key) {
      if (typeof key === 'string') {
        read.add(key);
      }
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      tracked.enumerated.add(target);
      return Reflect.ownKeys(target);
    },
  });
  proxies.set(value, proxy);
  return proxy;
}

function collectUnknown(
  value: unknown,
  path: string,
  tracked: Tracked,
  problems: ManifestProblem[],
): void {
  if (value === null || typeof value !== 'object') {
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectUnknown(item, `${path}/${index}`, tracked, problems));
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const known = tracked.enumerated.has(value) || tracked.read.get(value)?.has(key);
    if (!known) {
      problems.push({ path: `${path}/${key}`, message: 'unknown field' });
    }
    collectUnknown(child, `${path}/${key}`, tracked, problems);
  }
}
