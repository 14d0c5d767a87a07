/**
 * `nodegroup-api nodegroup list` against the sandbox, wall time of the whole process, next to
 * the same request made by `curl` (goal <= 4x) and by a minimal Python `requests` script (goal
 * <= 0.5x), when python3 with requests is installed. Runs are interleaved so load on the machine
 * hits every contender alike; medians are compared. Also shown, to explain the figures: a bare
 * `node -e 0` (the floor of any Node.js CLI), `nodegroup-api --help` (no request), the CLI from
 * its compiled files instead of its bundle (NODEGROUP_API_BUNDLE=0), and, when the environment
 * sets NODE_EXTRA_CA_CERTS, the CLI and `node -e 0` without it: Node.js 20 reads and parses that
 * CA file at every start, before any of our code runs (nodejs/node#40524).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { passwordGrant } from '../src/kapi/auth';
import { Transport } from '../src/kapi/transport';
import { startSandbox } from '../src/sandbox/sandbox';
import { fmt, report, summarize } from './harness';

const RUNS = 15;
const bin = join(__dirname, '..', '..', 'bin', 'nodegroup-api.js');
const dist = join(__dirname, '..');

/** Whether the bin takes the bundle now: built after the last compile (see bin/nodegroup-api.js). */
function bundleFresh(): boolean {
  const bundle = statSync(join(dist, 'src', 'cli', 'nodegroup-api.bundle.js'), { throwIfNoEntry: false });
  const compiled = statSync(join(dist, '.tsbuildinfo'), { throwIfNoEntry: false });
  return !!bundle && !!compiled && bundle.mtimeMs >= compiled.mtimeMs;
}
const PYTHON = `
import os, sys, requests
r = requests.get(os.environ["KUBESPHERE_HOST"] + "/kapis/infra.kubesphere.io/v1alpha1/nodegroups",
                 headers={"Authorization": "Bearer " + os.environ["KUBESPHERE_TOKEN"]}, timeout=30)
r.raise_for_status()
sys.stdout.write(r.text)
`;

interface Contender {
  name: string;
  command: string;
  args: string[];
  samples: number[];
  /** Set for this contender only; `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
}

/** One run, to exit; asynchronous, since the sandbox answering it lives in this process. */
function runOnce(c: Contender, base: NodeJS.ProcessEnv): Promise<number> {
  const env = { ...base, ...c.env };
  for (const [name, value] of Object.entries(c.env ?? {})) if (value === undefined) delete env[name];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(c.command, c.args, { env, encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${c.name} failed: ${stderr || err.message}`));
      else resolve(performance.now() - started);
    });
  });
}

const available = (command: string, args: string[]) => spawnSync(command, args).status === 0;

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  const home = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  try {
    const transport = new Transport({ host: sandbox.url });
    const { accessToken } = await passwordGrant(transport, {
      username: sandbox.username,
      password: sandbox.password,
    });
    await transport.close();
    const env = { ...process.env, HOME: home, KUBESPHERE_HOST: sandbox.url, KUBESPHERE_TOKEN: accessToken };
    const url = `${sandbox.url}/kapis/infra.kubesphere.io/v1alpha1/nodegroups`;
    const list = [bin, 'nodegroup', 'list'];
    const noExtraCa = { NODE_EXTRA_CA_CERTS: undefined };
    const contenders: Contender[] = [
      { name: 'nodegroup-api nodegroup list', command: process.execPath, args: list },
      // The shell expands the token from the environment, as an operator's script would.
      {
        name: 'curl, same request',
        command: 'sh',
        args: ['-c', `curl -sSf -H "Authorization: Bearer $KUBESPHERE_TOKEN" '${url}'`],
      },
      { name: 'node -e 0 (Node.js start-up alone)', command: process.execPath, args: ['-e', '0'] },
      { name: 'nodegroup-api --help (no request)', command: process.execPath, args: [bin, '--help'] },
      {
        name: 'nodegroup-api nodegroup list, compiled files (no bundle)',
        command: process.execPath,
        args: list,
        env: { NODEGROUP_API_BUNDLE: '0' },
      },
    ].map((c) => ({ ...c, samples: [] }));
    const extraCa = process.env['NODE_EXTRA_CA_CERTS'];
    if (extraCa)
      contenders.push(
        {
          name: 'nodegroup-api nodegroup list, NODE_EXTRA_CA_CERTS unset',
          command: process.execPath,
          args: list,
          env: noExtraCa,
          samples: [],
        },
        {
          name: 'node -e 0, NODE_EXTRA_CA_CERTS unset',
          command: process.execPath,
          args: ['-e', '0'],
          env: noExtraCa,
          samples: [],
        },
      );
    const python = available('python3', ['-c', 'import requests']);
    if (python)
      contenders.push({
        name: 'python3 requests, same request',
        command: 'python3',
        args: ['-c', PYTHON],
        samples: [],
      });
    const freshBefore = bundleFresh();
    for (const c of contenders) await runOnce(c, env); // warm the file cache
    for (let i = 0; i < RUNS; i++) for (const c of contenders) c.samples.push(await runOnce(c, env));

    const median = (name: string) => summarize(contenders.find((c) => c.name === name)!.samples).median;
    const cli = median('nodegroup-api nodegroup list');
    const curl = median('curl, same request');
    const rows: [string, string][] = contenders.map((c) => [
      c.name,
      `${fmt(summarize(c.samples).median, 1)} ms`,
    ]);
    rows.push([
      'ratio nodegroup-api / curl',
      `${fmt(cli / curl)}x (goal <= 4x: ${cli / curl <= 4 ? 'met' : 'NOT met'}; node -e 0 alone is ${fmt(median('node -e 0 (Node.js start-up alone)') / curl)}x curl)`,
    ]);
    if (python) {
      const py = median('python3 requests, same request');
      rows.push([
        'ratio nodegroup-api / python3 requests',
        `${fmt(cli / py)}x (goal <= 0.5x: ${cli / py <= 0.5 ? 'met' : 'NOT met'})`,
      ]);
      if (extraCa) {
        const bare = median('nodegroup-api nodegroup list, NODE_EXTRA_CA_CERTS unset');
        rows.push([
          'same ratio, NODE_EXTRA_CA_CERTS unset',
          `${fmt(bare / py)}x (goal <= 0.5x: ${bare / py <= 0.5 ? 'met' : 'NOT met'}; this environment sets it, which costs every Node.js start ${fmt(median('node -e 0 (Node.js start-up alone)') - median('node -e 0, NODE_EXTRA_CA_CERTS unset'), 1)} ms)`,
        ]);
      }
    } else rows.push(['python3 requests', 'not installed (Debian python3-requests): skipped']);
    const fresh = freshBefore && bundleFresh();
    rows.push([
      'bundle (dist/src/cli/nodegroup-api.bundle.js)',
      fresh
        ? 'used'
        : 'NOT used in every run: missing, or a compile came after it (npm run build makes it); the first row measured the compiled files',
    ]);
    report(`nodegroup-api start-up (median of ${RUNS} interleaved runs, wall time)`, rows);
  } finally {
    rmSync(home, { recursive: true, force: true });
    await sandbox.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`cli bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
