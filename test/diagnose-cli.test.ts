/** `nodegroup-api diagnose` against a started sandbox: output formats, exit codes, bad input. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { NODE_GROUP_LABEL } from '../src/constants';
import { KapiClient } from '../src/kapi/client';
import { bindTarget } from '../src/kapi/nodegroups';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import { runCli, tempHome } from './cli-helpers';

const G = 'edge-a';
let sb: Sandbox;
let client: KapiClient;
let env: Record<string, string>;
const home = tempHome();

before(async () => {
  sb = await startSandbox();
  client = new KapiClient({ host: sb.url, credentials: { username: sb.username, password: sb.password } });
  env = {
    HOME: home.home,
    KUBESPHERE_HOST: sb.url,
    KUBESPHERE_USERNAME: sb.username,
    KUBESPHERE_PASSWORD: sb.password,
  };
});
after(async () => {
  await client.close();
  await sb.stop();
  home.cleanup();
});
beforeEach(() => sb.reset());

/** Run diagnose until its output satisfies `holds` (the controller converges asynchronously). */
async function diagnoseUntil(
  args: string[],
  holds: (stdout: string) => boolean,
  extra: Record<string, string> = {},
) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const run = await runCli(['diagnose', ...args], { ...env, ...extra });
    if (holds(run.stdout)) return run;
    if (Date.now() > deadline) assert.fail(`timed out; last output:\n${run.stdout}${run.stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('nodegroup-api diagnose', () => {
  test('healthy: a table, exit 0; -o json and -o yaml carry the same findings', async () => {
    const run = await diagnoseUntil([G], (out) => /healthy/.test(out));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^CHECK\s+STATUS\s+FINDING\s+NEXT\n1 resource-exists\s+PASS/);
    assert.match(run.stdout, /nodegroup edge-a: healthy \(7 pass, 0 warn, 0 skip\)\n$/);
    const json = await runCli(['diagnose', G, '-o', 'json'], env);
    const parsed = JSON.parse(json.stdout) as { healthy: boolean; findings: { status: string }[] };
    assert.equal(parsed.healthy, true);
    assert.deepEqual(
      parsed.findings.map((f) => f.status),
      Array(7).fill('pass'),
    );
    const yaml = await runCli(['-o', 'yaml', 'diagnose', G], env);
    assert.match(yaml.stdout, /^target:\n {2}nodegroup: edge-a\nhealthy: true\n/);
  });

  test('a failing check: the finding and its next command, exit 1', async () => {
    await bindTarget(client, 'node', G, 'edge-node-1');
    await diagnoseUntil([G], (out) => /1 node\(s\) labelled/.test(out));
    await client.call({
      method: 'PATCH',
      path: '/api/v1/nodes/edge-node-1',
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { [NODE_GROUP_LABEL]: null } } },
    });
    const run = await diagnoseUntil([G, '--node', 'edge-node-1'], (out) => /FAIL/.test(out));
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /3 node-labels\s+FAIL\s+node edge-node-1: label drift.*kubectl label node edge-node-1 apps.edgewize.io\/nodegroup=edge-a --overwrite\n/,
    );
    assert.equal(run.stderr, 'error: nodegroup edge-a: 1 failing check(s), see the findings above\n');
  });

  test('through a kubeconfig (client-node) the findings are the same', async () => {
    const viaKapi = await diagnoseUntil([G, '-o', 'json'], (out) => /"healthy": true/.test(out));
    const viaKube = await runCli(['diagnose', G, '-o', 'json', '--kubeconfig', sb.kubeconfigPath], env);
    assert.equal(viaKube.code, 0, viaKube.stderr);
    const statuses = (text: string) =>
      (JSON.parse(text) as { findings: { check: { id: string }; status: string }[] }).findings.map(
        (f) => `${f.check.id}:${f.status}`,
      );
    assert.deepEqual(statuses(viaKube.stdout), statuses(viaKapi.stdout));
  });

  test('a group that does not exist is a finding (exit 1), not a crash', async () => {
    const run = await runCli(['diagnose', 'ghost'], env);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /1 resource-exists\s+FAIL\s+nodegroup ghost not found\s+nodegroup-api nodegroup list/,
    );
  });

  test('bad input: invalid names and --dry-run are usage errors (exit 2), before any request', async () => {
    const bad = await runCli(['diagnose', G, '--node', 'Bad_Node'], {
      HOME: home.home,
      KUBESPHERE_HOST: 'http://127.0.0.1:9',
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: invalid node name 'Bad_Node'/);
    const missing = await runCli(['diagnose'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument 'nodegroup'/);
    const dry = await runCli(['diagnose', G, '--dry-run'], env);
    assert.equal(dry.code, 2);
    assert.match(dry.stderr, /diagnose only reads: --dry-run does not apply/);
    const context = await runCli(['diagnose', G, '--context', 'x'], env);
    assert.equal(context.code, 2);
    assert.match(context.stderr, /--context needs --kubeconfig/);
  });

  test('unreachable host and missing credentials: the messages of the client', async () => {
    // A token of its own: the cache (of the sandbox's host) is never sent to another host.
    const down = await runCli(['diagnose', G, '--host', 'http://127.0.0.1:9'], {
      HOME: home.home,
      KUBESPHERE_TOKEN: 'a-token',
    });
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach http:\/\/127.0.0.1:9/);
    const empty = tempHome();
    const anonymous = await runCli(['diagnose', G], { HOME: empty.home, KUBESPHERE_HOST: sb.url });
    empty.cleanup();
    assert.equal(anonymous.code, 2);
    assert.match(anonymous.stderr, /^error: .*(KUBESPHERE_USERNAME|login)/);
  });

  test('--help loads neither the diagnosis library nor client-node (the CLI starts fast)', async () => {
    const main = resolve(__dirname, '../src/cli/main.js');
    const script = `require(${JSON.stringify(main)}).main(['node','nodegroup-api','--help'],{stdout:{write(){}},stderr:{write(){}}}).then(()=>process.stdout.write(Object.keys(require.cache).filter((k)=>/client-node|[\\\\/]src[\\\\/]diagnose[\\\\/]|node_modules[\\\\/]yaml[\\\\/]/.test(k)).join(',')))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    assert.equal(stdout, '');
  });
});
