/**
 * The main job (`npm start`): start the embedded sandbox and check it the way an operator would:
 * log in, read nodegroups through the KAPI, read nodes with kubectl, bind a node and wait for its
 * label through a watch, unbind it again. Exit code 0 only when every check passed.
 * (Runbooks replace this once the runner exists.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { KAPI_PREFIX, NODE_GROUP_LABEL, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../src/constants';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';

const run = promisify(execFile);

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function login(sandbox: Sandbox): Promise<string> {
  const res = await request(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username: sandbox.username,
      password: sandbox.password,
      client_id: OAUTH_CLIENT_ID,
      client_secret: OAUTH_CLIENT_SECRET,
    }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}`);
  return ((await res.body.json()) as { access_token: string }).access_token;
}

function waitForLabel(sandbox: Sandbox, node: string, value: string | undefined, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const holds = () =>
      sandbox.store.get('nodes', undefined, node).metadata.labels?.[NODE_GROUP_LABEL] === value;
    if (holds()) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`node ${node} did not get ${NODE_GROUP_LABEL}=${value ?? '<none>'} within ${ms} ms`));
    }, ms);
    const stop = sandbox.store.watch('nodes', { fieldSelector: `metadata.name=${node}` }, () => {
      if (!holds()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

async function smoke(sandbox: Sandbox): Promise<Check[]> {
  const checks: Check[] = [];
  const check = async (name: string, fn: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await fn() });
    } catch (err) {
      checks.push({ name, ok: false, detail: (err as Error).message });
    }
  };
  const token = await login(sandbox);
  const headers = { authorization: `Bearer ${token}` };
  const kapi = async (method: 'GET' | 'POST' | 'DELETE', path: string) => {
    const res = await request(`${sandbox.url}${KAPI_PREFIX}${path}`, { method, headers });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  await check('KAPI lists nodegroups', async () => {
    const list = (await kapi('GET', '/nodegroups')) as { totalItems: number };
    if (!(list.totalItems >= 1)) throw new Error('no nodegroup in the fixture');
    return `${list.totalItems} nodegroup(s)`;
  });
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  try {
    await check('kubectl get nodes', async () => {
      const { stdout } = await run('kubectl', [
        '--kubeconfig',
        sandbox.kubeconfigPath,
        '--cache-dir',
        cacheDir,
        'get',
        'nodes',
      ]);
      const lines = stdout.trim().split('\n');
      if (!lines[0]?.includes('STATUS')) throw new Error(`unexpected output: ${stdout}`);
      return `${lines.length - 1} node(s)`;
    });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  await check('bind node worker-3 to edge-a converges', async () => {
    await kapi('POST', '/nodegroups/edge-a/nodes/worker-3');
    await waitForLabel(sandbox, 'worker-3', 'edge-a', 5_000);
    return `worker-3 has ${NODE_GROUP_LABEL}=edge-a`;
  });
  await check('unbind node worker-3 converges', async () => {
    await kapi('DELETE', '/nodegroups/edge-a/nodes/worker-3');
    await waitForLabel(sandbox, 'worker-3', undefined, 5_000);
    return `worker-3 has no ${NODE_GROUP_LABEL} label`;
  });
  return checks;
}

async function main(): Promise<number> {
  const sandbox = await startSandbox();
  try {
    process.stdout.write(`sandbox ready at ${sandbox.url} (kube-apiserver ${sandbox.kubeUrl})\n`);
    const checks = await smoke(sandbox);
    for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
    const failed = checks.filter((c) => !c.ok).length;
    process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`);
    return failed ? 1 : 0;
  } finally {
    await sandbox.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`main job: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
