/**
 * The run's metadata in the Allure results: environment.properties (target, cluster, user,
 * versions the servers report, runner version: never a credential), executor.json and
 * categories.json. Under --parallel every worker is a process of its own: each writes its facts
 * as a fragment beside the run's evidence, then merges all fragments present into the results;
 * merging is idempotent and the files are replaced atomically, so the last worker leaves them whole.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../constants';
import { runsDir } from '../runbook/config';
import type { RunContext } from '../runbook/context';
import { CATEGORIES } from './categories';

/** Set by cucumber.js to the folder allure-cucumberjs writes to (workers inherit it). */
export const ALLURE_RESULTS_ENV = 'RUNBOOK_ALLURE_RESULTS';
const FRAGMENT = /^environment-worker-.+\.json$/;
/** How long each version lookup may take before it is reported as unknown. */
const LOOKUP_TIMEOUT_MS = 5_000;

export type EnvironmentFacts = Record<string, string>;

async function within<T>(what: Promise<T>, ms = LOOKUP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([what, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const unknown = (err: unknown) => `unknown (${(err as Error).message.split('\n')[0]})`;

function runnerVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'nodegroup-runbooks') return `${pkg.name} ${pkg.version}`;
  }
  return 'nodegroup-runbooks (version unknown)';
}

const imageTag = (image: string | undefined) => (image?.includes(':') ? image.split(':').pop()! : 'unknown');

/** What this worker ran against, as the servers describe themselves. */
export async function describeEnvironment(ctx: RunContext): Promise<EnvironmentFacts> {
  const { target } = ctx;
  const kube = ctx.verifier.kube;
  const facts: EnvironmentFacts = {
    'target.kind': target.kind === 'sandbox' ? 'embedded sandbox (one per worker)' : 'live',
    'target.url': target.host,
    'cluster.server': kube.server || 'unknown',
    'cluster.context': target.context ?? kube.loaded.context ?? 'unknown',
    // Who the server says the token is (the live preflight asks), else where the token came from.
    user: target.identity
      ? `${target.identity.user} (${target.identity.source})`
      : (target.credentials?.username ??
        (target.token ? 'token from KUBESPHERE_TOKEN' : 'token cache of nodegroup-api login')),
    ...(ctx.config.environment ? { environment: ctx.config.environment.name } : {}),
    ...(ctx.config.environment ? { 'environment.protected': String(ctx.config.environment.protected) } : {}),
    'runner.version': runnerVersion(),
    'node.version': process.version,
    'run.id': ctx.runId,
    'destructive.allowed': String(target.kind === 'sandbox' || ctx.config.allowDestructive),
  };
  const [ks, k8s, images] = await Promise.allSettled([
    // Public and unauthenticated: no login here, so the run's login is evidence of its first step.
    within(
      ctx.kapi.transport
        .send({ method: 'GET', path: '/kapis/version', headers: { accept: 'application/json' } })
        .then((res) => {
          if (res.status !== 200) throw new Error(`GET /kapis/version: ${res.status}`);
          return JSON.parse(res.text) as { gitVersion?: string };
        }),
    ),
    within(
      kube.getPath('/version').then(({ status, body }) => {
        if (status !== 200) throw new Error(`GET /version: ${status}`);
        return body as { gitVersion: string };
      }),
    ),
    within(
      Promise.all(NODEGROUP_DEPLOYMENTS.map((d) => ctx.verifier.get('deployment', d, NODEGROUP_NAMESPACE))),
    ),
  ]);
  facts['kubesphere.version'] =
    ks.status === 'fulfilled' ? (ks.value.gitVersion ?? 'unknown') : unknown(ks.reason);
  facts['kubernetes.version'] = k8s.status === 'fulfilled' ? k8s.value.gitVersion : unknown(k8s.reason);
  if (images.status === 'fulfilled') {
    const tags = images.value.map((d, i) => {
      const containers = ((d?.['spec'] as { template?: { spec?: { containers?: { image?: string }[] } } })
        ?.template?.spec?.containers ?? []) as { image?: string }[];
      return `${NODEGROUP_DEPLOYMENTS[i]} ${d ? imageTag(containers[0]?.image) : 'not deployed'}`;
    });
    facts['nodegroup.version'] = tags.join(', ');
  } else facts['nodegroup.version'] = unknown(images.reason);
  return facts;
}

export function writeEnvironmentFragment(ctx: RunContext, facts: EnvironmentFacts): void {
  const dir = runsDir(ctx.config.reportsDir, ctx.runId);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, `environment-worker-${ctx.worker}.json`), JSON.stringify(facts, null, 1));
}

/** Java properties: escape what the format treats specially (and keep it one line per key). */
const propertiesEscape = (s: string, key = false) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/[=:#!]/g, (c) => `\\${c}`)
    .replace(key ? / /g : /^ /, '\\ ');

/** Facts of every worker: one value, or the distinct values joined (e.g. each worker's sandbox). */
export function mergeFacts(fragments: EnvironmentFacts[]): EnvironmentFacts {
  const merged: Record<string, string[]> = {};
  for (const f of fragments)
    for (const [k, v] of Object.entries(f)) {
      const values = merged[k] ?? [];
      if (!values.includes(v)) values.push(v);
      merged[k] = values;
    }
  return Object.fromEntries(Object.entries(merged).map(([k, vs]) => [k, vs.join(', ')]));
}

export function renderProperties(facts: EnvironmentFacts): string {
  return Object.entries(facts)
    .map(([k, v]) => `${propertiesEscape(k, true)}=${propertiesEscape(v)}`)
    .join('\n')
    .concat('\n');
}

/** Who ran it: the CI system when there is one, else this machine. Allure shows it on the overview. */
function executorInfo(runId: string, env: Readonly<Record<string, string | undefined>> = process.env) {
  // Run ids start with yymmddHHMMSS: a number that grows run after run, as Allure's trend wants.
  const buildOrder = Number(runId.slice(0, 12)) || Math.floor(Date.now() / 1000);
  const common = { buildOrder, buildName: `run ${runId}`, reportName: 'NodeGroup runbooks' };
  if (env['GITHUB_ACTIONS'])
    return {
      ...common,
      name: 'GitHub Actions',
      type: 'github',
      buildUrl: `${env['GITHUB_SERVER_URL']}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`,
    };
  if (env['GITLAB_CI'])
    return {
      ...common,
      name: 'GitLab CI',
      type: 'gitlab',
      ...(env['CI_JOB_URL'] ? { buildUrl: env['CI_JOB_URL'] } : {}),
    };
  if (env['JENKINS_URL'])
    return {
      ...common,
      name: 'Jenkins',
      type: 'jenkins',
      ...(env['BUILD_URL'] ? { buildUrl: env['BUILD_URL'] } : {}),
    };
  return { ...common, name: 'nodegroup-runbooks', type: 'local' };
}

/** Merge the fragments of the run into environment.properties; write executor and categories. */
export function writeRunMetadata(resultsDir: string, reportsDir: string, runId: string): void {
  const dir = runsDir(reportsDir, runId);
  const fragments = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => FRAGMENT.test(f))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as EnvironmentFacts)
    : [];
  mkdirSync(resultsDir, { recursive: true });
  if (fragments.length)
    writeFileAtomic(join(resultsDir, 'environment.properties'), renderProperties(mergeFacts(fragments)));
  writeFileAtomic(join(resultsDir, 'executor.json'), JSON.stringify(executorInfo(runId), null, 1));
  writeFileAtomic(join(resultsDir, 'categories.json'), JSON.stringify(CATEGORIES, null, 1));
}
