/**
 * Fleets and latency, as ratios in one run (issue 15):
 *  - with 20 ms latency on every route (the `latency` fault, pattern "/": a remote cluster), the
 *    full suite with `--parallel 4` against serial (goal <= 0.4x), each worker on its own embedded
 *    sandbox with the latency on (world parameter sandboxLatencyMs), the whole suite in both runs;
 *  - a fleet run of the binding runbooks on 4 members against the same run on 1, 20 ms latency
 *    (goal <= 1.5x);
 *  - a 10,000-node member: diagnosis of a group with 1,000 nodes through the host (goal <= 2 s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NODE_GROUP_LABEL } from '../src/constants';
import { diagnose } from '../src/diagnose/diagnose';
import { kubeReaderSource } from '../src/diagnose/sources';
import { KubeReader } from '../src/kube/reader';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import { fmt, report } from './harness';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
const LATENCY = { pattern: '/', ms: 20 };

function envFileFor(sandbox: Sandbox, name: string): string {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(
    file,
    `host: ${sandbox.url}\nkubeconfig: ${sandbox.kubeconfigPath}\n` +
      'vars: {NODEGROUP: edge-a, NODE: worker-3, OTHER_NODE: edge-node-2, NAMESPACE: monitoring, WORKSPACE: team-b, WORKSPACE_NAMESPACE: edge-apps}\n',
  );
  return file;
}

/** One run of the runner (async: the sandbox answering it lives in this process). */
function runRunner(
  sandbox: Sandbox | undefined,
  args: string[],
  runId: string,
): Promise<{ ms: number; code: number | null; tail: string }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(root, 'dist/scripts/nodegroup-runbooks.js'), 'run', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          HOME: scratch,
          ...(sandbox
            ? { KUBESPHERE_USERNAME: sandbox.username, KUBESPHERE_PASSWORD: sandbox.password }
            : {}),
          RUNBOOK_RUN_ID: runId,
          RUNBOOK_REPORTS_DIR: join(scratch, runId),
          RUNBOOK_ALLURE: 'off',
          // A sandbox reached as a live cluster: the runbooks' unbinds and deletes are allowed.
          RUNBOOK_ALLOW_DESTRUCTIVE: '1',
        },
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('close', (code) =>
      done({ ms: performance.now() - started, code, tail: out.trim().split('\n').slice(-3).join(' / ') }),
    );
  });
}

/** The full suite on the embedded sandbox (one per worker), every route answering `ms` late. */
function suiteUnderLatency(extra: string[], runId: string) {
  const latency = JSON.stringify({ sandboxLatencyMs: LATENCY.ms });
  return runRunner(undefined, ['--world-parameters', latency, ...extra], runId);
}

async function parallelUnderLatency(): Promise<[string, string][]> {
  // Each worker starts its own embedded sandbox with the latency on (world parameter
  // sandboxLatencyMs), as each would talk to a remote cluster: the whole suite, @sandbox-only too.
  const serial = await suiteUnderLatency([], '261202000000-serial');
  const parallel = await suiteUnderLatency(['--parallel', '4'], '261202000000-paral4');
  const ratio = parallel.ms / serial.ms;
  return [
    [
      'serial, 20 ms latency',
      `${fmt(serial.ms / 1000)} s (exit ${serial.code}: ${serial.tail.slice(0, 120)})`,
    ],
    ['--parallel 4, 20 ms latency', `${fmt(parallel.ms / 1000)} s (exit ${parallel.code})`],
    ['ratio parallel 4 / serial', `${fmt(ratio)}x (goal <= 0.4x: ${ratio <= 0.4 ? 'met' : 'NOT met'})`],
  ];
}

async function fleetUnderLatency(): Promise<[string, string][]> {
  const sandbox = await startSandbox({ members: 4 });
  try {
    sandbox.faults.set('latency', LATENCY);
    const env = envFileFor(sandbox, 'fleet');
    const features = join(root, 'features', 'binding');
    const one = await runRunner(
      sandbox,
      ['--env', env, '--clusters', 'member-1', features],
      '261202000000-fleet1',
    );
    sandbox.reset();
    sandbox.faults.set('latency', LATENCY);
    const four = await runRunner(
      sandbox,
      ['--env', env, '--clusters', 'member-1,member-2,member-3,member-4', features],
      '261202000000-fleet4',
    );
    const ratio = four.ms / one.ms;
    return [
      ['binding runbooks on 1 member', `${fmt(one.ms / 1000)} s (exit ${one.code})`],
      [
        'binding runbooks on 4 members',
        `${fmt(four.ms / 1000)} s (exit ${four.code}: ${four.tail.slice(0, 120)})`,
      ],
      ['ratio 4 members / 1', `${fmt(ratio)}x (goal <= 1.5x: ${ratio <= 1.5 ? 'met' : 'NOT met'})`],
    ];
  } finally {
    await sandbox.stop();
  }
}

async function diagnosisAtScale(): Promise<[string, string][]> {
  const sandbox = await startSandbox({ members: 1, memberNodes: 10_000 });
  try {
    const member = sandbox.members.get('member-1')!;
    for (let n = 1; n <= 1_000; n++)
      member.store.mutate('nodes', undefined, `member-1-edge-${n}`, (node) => {
        node.metadata.labels = { ...node.metadata.labels, [NODE_GROUP_LABEL]: 'edge-a' };
      });
    const kubeconfig = join(scratch, 'member-1.kubeconfig');
    const text = readFileSync(sandbox.kubeconfigPath, 'utf8');
    writeFileSync(kubeconfig, text.replace(sandbox.kubeUrl, `${sandbox.kubeUrl}/clusters/member-1`));
    const source = kubeReaderSource(KubeReader.fromKubeconfig(kubeconfig));
    await diagnose(source, { nodegroup: 'edge-a' }); // warm-up: discovery, connections
    const started = performance.now();
    const result = await diagnose(source, { nodegroup: 'edge-a' });
    const ms = performance.now() - started;
    return [
      ['member nodes', String(member.store.list('nodes').items.length)],
      [
        'diagnosis of edge-a (1,000 nodes)',
        `${fmt(ms)} ms, ${result.findings.length} findings (goal <= 2000 ms: ${ms <= 2000 ? 'met' : 'NOT met'})`,
      ],
    ];
  } finally {
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  const only = process.env.FLEET_BENCH;
  try {
    if (!only || only === 'diagnose') report('fleet: 10,000-node member', await diagnosisAtScale());
    if (!only || only === 'fleet') report('fleet: 4 members vs 1, 20 ms latency', await fleetUnderLatency());
    if (!only || only === 'parallel')
      report('runner: --parallel 4 vs serial, 20 ms latency', await parallelUnderLatency());
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
