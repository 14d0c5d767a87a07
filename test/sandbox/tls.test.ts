import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { KUBERNETES_VERSION } from '../../src/constants';
import { type Certificates, createCertificates } from '../../src/sandbox/server/tls';
import { httpsGet } from '../sandbox-http';

const run = promisify(execFile);

describe('sandbox certificates', () => {
  let certs: Certificates;
  let server: Server;
  let base: string;
  let dir: string;
  const seenAuthorization: (string | undefined)[] = [];

  before(async () => {
    certs = await createCertificates();
    dir = await mkdtemp(join(tmpdir(), 'tls-test-'));
    server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
      seenAuthorization.push(req.headers.authorization);
      const isVersion = new URL(req.url ?? '/', base).pathname === '/version';
      const body = JSON.stringify(
        isVersion
          ? { ...KUBERNETES_VERSION, platform: 'linux/amd64', goVersion: 'go1.23.8', compiler: 'gc' }
          : { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
      );
      res.writeHead(isVersion ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the CA is a CA and the server certificate is a SAN-named, CA-signed leaf', () => {
    const ca = new X509Certificate(certs.caPem);
    const leaf = new X509Certificate(certs.certPem);
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.verify(ca.publicKey), 'signed by the CA');
    assert.ok(leaf.checkIssued(ca));
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.checkHost('example.com'), undefined);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage serverAuth');
    assert.match(certs.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(new Date(leaf.validFrom) < new Date() && new Date(leaf.validTo) > new Date());
  });

  test('extra hosts become SANs; no hosts is an error', async () => {
    const leaf = new X509Certificate((await createCertificates(['10.0.0.7', 'sandbox.local'])).certPem);
    assert.equal(leaf.subjectAltName, 'IP Address:10.0.0.7, DNS:sandbox.local');
    await assert.rejects(createCertificates([]), /at least one host/);
  });

  test('node:https serves with it and a client trusting only the CA accepts it', async () => {
    const ok = await httpsGet(`${base}/version`, { ca: certs.caPem });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).gitVersion, KUBERNETES_VERSION.gitVersion);
    await assert.rejects(httpsGet(`${base}/version`), /self[- ]signed certificate|unable to verify/i);
    const other = await createCertificates();
    await assert.rejects(
      httpsGet(`${base}/version`, { ca: other.caPem }),
      /self[- ]signed certificate|unable to verify/i,
    );
  });

  test('kubectl accepts it with --certificate-authority and sends its bearer token', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, certs.caPem);
    const env = { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') };
    const common = ['--server', base, '--cache-dir', join(dir, 'cache'), '--token', 'test-token'];
    const { stdout } = await run(
      'kubectl',
      [...common, '--certificate-authority', caFile, 'version', '-o', 'json'],
      {
        env,
        timeout: 30_000,
      },
    );
    const version = JSON.parse(stdout) as { serverVersion?: { gitVersion: string } };
    assert.equal(version.serverVersion?.gitVersion, KUBERNETES_VERSION.gitVersion);
    assert.ok(seenAuthorization.includes('Bearer test-token'), `saw ${JSON.stringify(seenAuthorization)}`);

    await assert.rejects(
      run('kubectl', [...common, 'version', '-o', 'json'], { env, timeout: 30_000 }),
      (err) => {
        assert.match(String((err as { stderr?: string }).stderr), /certificate signed by unknown authority/);
        return true;
      },
    );
  });
});
