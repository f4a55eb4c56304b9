import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { MODULE_CONFIGS } from '../../../src/app.module';
import { EnvValidationError, validateEnvClasses } from '../../../src/config';
import { validateManifest } from '../../helpers/k8s-schema';

const DIR = join(__dirname, '..', '..', '..', 'deploy', 'k8s');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, checked against the schema below
type Doc = Record<string, any>;

const files = readdirSync(DIR).filter((file) => /\.ya?ml$/.test(file));
const docs: Array<{ file: string; doc: Doc }> = files.flatMap((file) =>
  loadAll(readFileSync(join(DIR, file), 'utf8'))
    .filter((doc): doc is Doc => doc !== null && doc !== undefined)
    .map((doc) => ({ file, doc })),
);
const find = (kind: string, name: string): Doc => {
  const found = docs.find(({ doc }) => doc.kind === kind && doc.metadata?.name === name);
  if (!found) {
    throw new Error(`${kind}/${name} not found in deploy/k8s`);
  }
  return found.doc;
};
const container = (workload: Doc): Doc => workload.spec.template.spec.containers[0];

/** Keys the app refuses to boot without (no default), from the env classes themselves. */
function requiredKeys(): string[] {
  try {
    validateEnvClasses(
      MODULE_CONFIGS.map((config) => config.env),
      {},
    );
    return [];
  } catch (error) {
    return (error as EnvValidationError).problems.map((problem) => problem.split(':')[0]);
  }
}

describe('deploy/k8s manifests', () => {
  it.each(
    docs
      .filter(({ doc }) => doc.kind !== 'Kustomization')
      .map(({ file, doc }) => [`${file} ${doc.kind}/${doc.metadata?.name}`, doc]),
  )('should match the Kubernetes schema with no unknown field: %s', (_name, doc) => {
    expect(validateManifest(doc)).toEqual([]);
  });

  it('should reject a misspelled field, a wrong type and a missing required field', () => {
    const deployment = structuredClone(find('Deployment', 'agentic-engine-api'));
    container(deployment).livenessProbe.periodSecond = 10;
    deployment.spec.replicas = 'two';
    delete container(deployment).name;
    deployment.spec.template.spec.securityContext.runAsNonroot = true;

    const problems = validateManifest(deployment);

    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: '/spec/template/spec/containers/0/livenessProbe/periodSecond',
          message: 'unknown field',
        },
        { path: '/spec/template/spec/securityContext/runAsNonroot', message: 'unknown field' },
        expect.objectContaining({ path: '/spec/replicas' }),
        expect.objectContaining({
          path: '/spec/template/spec/containers/0',
          message: expect.stringContaining('name'),
        }),
      ]),
    );
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deployent' })).toHaveLength(1);
  });

  it('should list every manifest in kustomization.yaml, and no example secret', () => {
    const kustomization = docs.find(({ doc }) => doc.kind === 'Kustomization')?.doc;
    const manifests = files.filter(
      (file) => file !== 'kustomization.yaml' && !file.endsWith('.example.yaml'),
    );
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(manifests.sort());
  });

  it('should have a Secret template with every key the app needs and has no default for', () => {
    const secret = find('Secret', 'agentic-engine-api');
    const keys = Object.keys(secret.stringData);
    const required = requiredKeys();

    expect(required).toEqual(
      expect.arrayContaining(['AUTH__JWT_SECRET', 'PAGINATION__CURSOR_SECRET']),
    );
    // DATABASE__URL: the image has no embedded PostgreSQL.
    expect(keys).toEqual(
      expect.arrayContaining([...required, 'DATABASE__URL', 'MONITORING__METRICS_TOKEN']),
    );
    expect(Object.keys(find('ConfigMap', 'agentic-engine-api').data)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/SECRET|TOKEN|PASSWORD|DATABASE__URL/)]),
    );
  });

  it('should run the migrations as a bounded Job of the same image with the same environment', () => {
    const job = find('Job', 'agentic-engine-migrate');
    const api = container(find('Deployment', 'agentic-engine-api'));
    const migrate = container(job);
    const timeoutMs = Number(
      migrate.env.find((e: Doc) => e.name === 'DATABASE__MIGRATIONS_TIMEOUT_MS').value,
    );

    expect(migrate.command).toEqual(['node', 'dist/migrate.js']);
    expect(migrate.image).toBe(api.image);
    expect(migrate.envFrom).toEqual(api.envFrom);
    expect(job.spec).toMatchObject({
      backoffLimit: expect.any(Number),
      ttlSecondsAfterFinished: expect.any(Number),
    });
    expect(job.spec.activeDeadlineSeconds * 1000).toBeGreaterThan(timeoutMs);
    expect(find('ConfigMap', 'agentic-engine-api').data.DATABASE__RUN_MIGRATIONS).toBe('false');
  });

  it('should probe and scrape the worker on its listener port', () => {
    const worker = find('Deployment', 'agentic-engine-worker');
    const main = container(worker);
    const port = main.env.find((e: Doc) => e.name === 'MONITORING__WORKER_PORT').value;

    expect(main.ports).toEqual([{ name: 'monitoring', containerPort: Number(port) }]);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(main[probe].httpGet.port).toBe('monitoring');
    }
    expect(main.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(worker.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': port,
      'prometheus.io/path': '/metrics',
    });
  });

  it('should select real pods in every PodDisruptionBudget and NetworkPolicy', () => {
    const podLabels = docs
      .filter(({ doc }) => doc.spec?.template?.metadata?.labels)
      .map(({ doc }) => doc.spec.template.metadata.labels as Record<string, string>);
    const selects = (selector: Record<string, string>) =>
      podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
    const selectors = docs
      .filter(({ doc }) => doc.kind === 'PodDisruptionBudget' || doc.kind === 'NetworkPolicy')
      .map(({ doc }) => (doc.spec.selector ?? doc.spec.podSelector).matchLabels);

    expect(selectors.length).toBeGreaterThanOrEqual(5);
    expect(selectors.filter((selector) => !selects(selector))).toEqual([]);
  });
});

const OVERLAYS = join(DIR, 'overlays');

describe('deploy/k8s/overlays', () => {
  const overlays = readdirSync(OVERLAYS);
  const base = find('ConfigMap', 'agentic-engine-api');
  const secret = find('Secret', 'agentic-engine-api');
  const knownKeys = new Set(
    MODULE_CONFIGS.flatMap((config) => Object.keys(new (config.env as new () => object)())),
  );

  it('should have overlays', () => {
    expect(overlays).toEqual(expect.arrayContaining(['scale-out', 'sentinel']));
  });

  it.each(overlays)('%s: should build on the base and patch only the ConfigMap', (overlay) => {
    const kustomization = loadAll(
      readFileSync(join(OVERLAYS, overlay, 'kustomization.yaml'), 'utf8'),
    )[0] as Doc;
    expect(kustomization.resources).toEqual(['../..']);
    for (const { path } of kustomization.patches as Array<{ path: string }>) {
      const patch = loadAll(readFileSync(join(OVERLAYS, overlay, path), 'utf8'))[0] as Doc;
      expect(patch).toMatchObject({ kind: 'ConfigMap', metadata: { name: base.metadata.name } });
    }
  });

  it.each(overlays)(
    '%s: should give the app an environment it boots with (base ConfigMap, patch, Secret)',
    (overlay) => {
      const kustomization = loadAll(
        readFileSync(join(OVERLAYS, overlay, 'kustomization.yaml'), 'utf8'),
      )[0] as Doc;
      const data: Record<string, string> = { ...base.data };
      for (const { path } of kustomization.patches as Array<{ path: string }>) {
        const patch = loadAll(readFileSync(join(OVERLAYS, overlay, path), 'utf8'))[0] as Doc;
        Object.assign(data, patch.data);
        expect(validateManifest({ ...base, data })).toEqual([]);
        // A misspelled key would be ignored by the app: every key must be one it reads.
        expect(Object.keys(patch.data).filter((key) => !knownKeys.has(key))).toEqual([]);
      }
      // The Secret is read after the ConfigMap (envFrom order): its keys win. Its placeholders
      // are refused in production, as they should be: an operator fills in random values.
      const filled = Object.fromEntries(
        Object.entries(secret.stringData as Record<string, string>).map(([key, value]) => [
          key,
          /CHANGE-ME/.test(value) && key !== 'DATABASE__URL'
            ? randomBytes(32).toString('hex')
            : value,
        ]),
      );
      const env = { ...data, ...filled };

      expect(() =>
        validateEnvClasses(
          MODULE_CONFIGS.map((config) => config.env),
          env,
        ),
      ).not.toThrow();
    },
  );
});
