/**
 * `--insecure` and KUBESPHERE_CA_FILE against real https listeners: the sandbox's kube-apiserver
 * (https, its own CA; it serves /api and /apis, not /oauth or /kapis), and a small https front
 * for the sandbox's ks-apiserver with a certificate from another CA made by src/sandbox/tls.ts,
 * so login and the KAPI commands run over https end to end. An untrusted certificate is a clear
 * TLS message and exit 3; a CA file that holds no certificate is a usage error (exit 2).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { passwordGrant } from '../src/kapi/auth';
import { Transport } from '../src/kapi/transport';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import { createCertificates } from '../src/sandbox/server/tls';
import { type CliRun, runCli, secretsIn, tempHome } from './cli-helpers';

/** An https server that forwards every request to an http origin (a TLS-terminating front). */
async function httpsFront(
  origin: string,
  cert: string,
  key: string,
): Promise<{ url: string; server: Server }> {
  const target = new URL(origin);
  const server = createServer({ cert, key }, (req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('nodegroup-api over https', () => {
  let sb: Sandbox;
  let front: { url: string; server: Server };
  let token: string;
  const home = tempHome();
  const files = { sandboxCa: '', frontCa: '', notPem: '' };
  const runs: CliRun[] = [];
  const cli = async (args: string[], env: Record<string, string>) => {
    const run = await runCli(args, { HOME: home.home, ...env });
    runs.push(run);
    return run;
  };

  before(async () => {
    sb = await startSandbox();
    const certs = await createCertificates(['127.0.0.1']);
    front = await httpsFront(sb.url, certs.certPem, certs.keyPem);
    files.sandboxCa = join(home.home, 'sandbox-ca.pem');
    files.frontCa = join(home.home, 'front-ca.pem');
    files.notPem = join(home.home, 'not-a-ca.txt');
    writeFileSync(files.sandboxCa, sb.caPem);
    writeFileSync(files.frontCa, certs.caPem);
    writeFileSync(files.notPem, 'just text\n');
    const transport = new Transport({ host: sb.url });
    token = (await passwordGrant(transport, { username: sb.username, password: sb.password })).accessToken;
    await transport.close();
  });
  after(async () => {
    front.server.closeAllConnections();
    await new Promise((resolve) => front.server.close(resolve));
    await sb.stop();
    home.cleanup();
    for (const run of runs) assert.deepEqual(secretsIn(run, [token, sb.password]), [], 'no secret printed');
  });

  it("KUBESPHERE_CA_FILE with the kube-apiserver's CA verifies its certificate", async () => {
    const run = await cli(['-q', '--host', sb.kubeUrl, 'request', 'GET', '/api/v1/nodes/worker-1'], {
      KUBESPHERE_TOKEN: token,
      KUBESPHERE_CA_FILE: files.sandboxCa,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).metadata.name, 'worker-1');
  });

  it('--insecure skips verification; without it an untrusted certificate is exit 3 naming the fix', async () => {
    const args = ['--host', sb.kubeUrl, 'request', 'GET', '/api/v1/nodes/worker-1'];
    const insecure = await cli(['--insecure', ...args], { KUBESPHERE_TOKEN: token });
    assert.equal(insecure.code, 0, insecure.stderr);

    const untrusted = await cli(args, { KUBESPHERE_TOKEN: token });
    assert.equal(untrusted.code, 3);
    assert.equal(untrusted.stdout, '');
    assert.match(untrusted.stderr, new RegExp(`cannot reach ${sb.kubeUrl.replace(/[.]/g, '\\.')}`));
    assert.match(
      untrusted.stderr,
      /TLS connection failed \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/,
    );
    assert.match(untrusted.stderr, /set KUBESPHERE_CA_FILE to the PEM file of its CA \(or pass --insecure/);
    assert.doesNotMatch(
      untrusted.stderr,
      /check --host or KUBESPHERE_HOST/,
      'not the generic unreachable hint',
    );

    // The CA of another server is no better than none.
    const wrongCa = await cli(args, { KUBESPHERE_TOKEN: token, KUBESPHERE_CA_FILE: files.frontCa });
    assert.equal(wrongCa.code, 3);
    assert.match(wrongCa.stderr, /TLS connection failed/);
  });

  it('a CA file that holds no PEM certificate is a usage error, before anything is sent', async () => {
    const run = await cli(['--host', sb.kubeUrl, 'request', 'GET', '/api/v1/nodes'], {
      KUBESPHERE_TOKEN: token,
      KUBESPHERE_CA_FILE: files.notPem,
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /the CA file .*not-a-ca\.txt holds no PEM certificate/);
  });

  it('login, create and list over https with KUBESPHERE_CA_FILE; the group exists on the server', async () => {
    const env = { KUBESPHERE_HOST: front.url, KUBESPHERE_CA_FILE: files.frontCa };
    const login = await cli(['login', '--username', sb.username, '--password', sb.password], env);
    assert.equal(login.code, 0, login.stderr);
    const create = await cli(['nodegroup', 'create', '--name', 'over-tls', '--alias', 'TLS'], env);
    assert.equal(create.code, 0, create.stderr);
    const stored = sb.store.get('nodegroups', undefined, 'over-tls') as { spec?: { alias?: string } };
    assert.equal(stored.spec?.alias, 'TLS');
    const list = await cli(['-q', 'nodegroup', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    const names = (JSON.parse(list.stdout) as { items: { metadata: { name: string } }[] }).items.map(
      (g) => g.metadata.name,
    );
    assert.ok(names.includes('over-tls'), names.join(', '));

    const refused = await cli(['nodegroup', 'list'], { KUBESPHERE_HOST: front.url });
    assert.equal(refused.code, 3, 'the front certificate is not trusted without its CA');
  });
});
