/** Every bad input: a specific message, exit 2, and nothing sent to the server. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, secretsIn, sendJson, startServer, tempHome } from './cli-helpers';

const K = '/kapis/infra.kubesphere.io/v1alpha1';
const SECRET = 'pw-never-shown';

describe('bad input', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const home = tempHome();
  let env: Record<string, string>;

  before(async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    env = { HOME: home.home, KUBESPHERE_HOST: server.url, KUBESPHERE_TOKEN: 'tok' };
  });
  after(async () => {
    assert.equal(server.requests.length, 0, 'nothing was sent for any bad input');
    await server.close();
    home.cleanup();
  });

  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    ['unknown command', ['bogus'], /error: unknown command 'bogus'\nusage: nodegroup-api /],
    [
      'unknown flag',
      ['nodegroup', 'list', '--bogus'],
      /error: unknown option '--bogus'\nusage: nodegroup-api nodegroup list/,
    ],
    ['unknown subcommand', ['bind', 'pod', '--nodegroup', 'a'], /unknown command 'pod'/],
    ['invalid JSON body', ['request', 'POST', `${K}/nodegroups`, '{oops'], /BODY is not valid JSON/],
    [
      'PATCH with a non-array',
      ['request', 'PATCH', `${K}/nodegroups/a`, '{"spec":{}}'],
      /a PATCH BODY must be a JSON array/,
    ],
    ['PATCH without a body', ['request', 'PATCH', `${K}/nodegroups/a`], /PATCH needs a BODY/],
    [
      'PATCH with a bad op',
      ['request', 'PATCH', `${K}/nodegroups/a`, '[{"op":"set","path":"/x"}]'],
      /operation 0 has op "set"/,
    ],
    ['GET with a body', ['request', 'GET', `${K}/nodegroups`, '{}'], /GET takes no BODY/],
    ['unknown method', ['request', 'FETCH', `${K}/nodegroups`], /unknown method 'FETCH'/],
    ['path without a slash', ['request', 'GET', 'kapis/x'], /path 'kapis\/x' must start with '\/'/],
    [
      'nodegroup name not DNS-1123',
      ['nodegroup', 'create', '--name', 'Bad_Name'],
      /invalid nodegroup name 'Bad_Name': must be a lowercase RFC 1123 subdomain/,
    ],
    ['get with a bad name', ['nodegroup', 'get', 'UPPER'], /invalid nodegroup name 'UPPER'/],
    [
      'namespace name with a dot',
      ['bind', 'namespace', '--nodegroup', 'g', '--namespace', 'a.b'],
      /invalid namespace name 'a.b': must be a lowercase RFC 1123 label/,
    ],
    [
      'node name too long',
      ['unbind', 'node', '--nodegroup', 'g', '--node', 'x'.repeat(254)],
      /invalid node name/,
    ],
    ['cluster name invalid', ['--cluster', 'Host!', 'nodegroup', 'list'], /invalid cluster name 'Host!'/],
    [
      'create without --name',
      ['nodegroup', 'create', '--alias', 'x'],
      /required option '--name <name>' not specified\nusage: nodegroup-api nodegroup create --name <name>/,
    ],
    [
      'bind without --node',
      ['bind', 'node', '--nodegroup', 'g'],
      /required option '--node <name>' not specified\nusage: nodegroup-api bind node --nodegroup <name> --node <name>/,
    ],
    [
      'unbind without --nodegroup',
      ['unbind', 'workspace', '--workspace', 'w'],
      /required option '--nodegroup <name>'/,
    ],
    ['get without a name', ['nodegroup', 'get'], /missing required argument 'name'/],
    [
      'patch with nothing to change',
      ['nodegroup', 'patch', 'g'],
      /nothing to patch\nusage: nodegroup-api nodegroup patch NAME/,
    ],
    [
      'host without a scheme',
      ['--host', 'ks-apiserver.kubesphere-system', 'nodegroup', 'list'],
      /host 'ks-apiserver.kubesphere-system' has no scheme\nuse http:\/\/ks-apiserver/,
    ],
    [
      'host with another scheme',
      ['--host', 'ftp://h', 'nodegroup', 'list'],
      /only http: and https: are supported/,
    ],
    [
      'KUBESPHERE_HOST without a scheme',
      ['nodegroup', 'list'],
      /host 'example:80' has no scheme/,
      { KUBESPHERE_HOST: 'example:80' },
    ],
    [
      'an unknown output format',
      ['-o', 'xml', 'nodegroup', 'list'],
      /argument 'xml' is invalid. Allowed choices are json, yaml, table/,
    ],
    [
      'a bad timeout',
      ['--timeout', 'soon', 'nodegroup', 'list'],
      /--timeout 'soon' is not a positive number/,
    ],
    [
      'login without a password off a terminal',
      ['login', '--username', 'admin'],
      /missing password: pass --password, set KUBESPHERE_PASSWORD/,
    ],
    [
      'login without a username',
      ['login', '--password', SECRET],
      /missing username: pass --username or set KUBESPHERE_USERNAME/,
    ],
    [
      'an unreadable CA file',
      ['--host', 'https://127.0.0.1:1', 'nodegroup', 'list'],
      /cannot read the CA file \/nonexistent\/ca.pem \(ENOENT\)/,
      { KUBESPHERE_CA_FILE: '/nonexistent/ca.pem' },
    ],
  ];

  for (const [title, args, message, extraEnv] of cases) {
    it(`${title}: exit 2 with a specific message`, async () => {
      const run = await runCli(args, { ...env, ...extraEnv });
      assert.equal(run.code, 2, `${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assert.deepEqual(secretsIn(run, [SECRET]), []);
    });
  }

  it('a corrupt token cache: exit 2, the file named and kept as it was', async () => {
    const corruptHome = join(home.home, 'corrupt');
    mkdirSync(corruptHome);
    const file = join(corruptHome, '.kubesphere_token');
    writeFileSync(file, '{"token": 42}');
    const run = await runCli(['nodegroup', 'list'], { HOME: corruptHome, KUBESPHERE_HOST: server.url });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /token cache .*corrupt\/\.kubesphere_token is corrupt \(no "token" string\).*clear-cache/,
    );
    assert.equal(readFileSync(file, 'utf8'), '{"token": 42}');
  });

  it('an unreadable token cache: exit 2', async () => {
    const dirHome = join(home.home, 'dir');
    mkdirSync(join(dirHome, '.kubesphere_token'), { recursive: true });
    const run = await runCli(['nodegroup', 'list'], { HOME: dirHome, KUBESPHERE_HOST: server.url });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /token cache .* is unreadable \(EISDIR\)/);
  });

  it('diagnose with a broken or missing kubeconfig: exit 2, the file named, none of its content shown', async () => {
    const token = 'kubeconfig-token-never-shown';
    const broken = join(home.home, 'broken-kubeconfig.yaml');
    // The YAML error sits right after the token: a quoted code frame would show it.
    writeFileSync(broken, `users:\n- name: a\n  user:\n    token: ${token}\nclusters: [\n`);
    const missing = join(home.home, 'no-such-kubeconfig.yaml');
    for (const [file, why] of [
      [broken, /line \d+, column \d+: not valid YAML/],
      [missing, /ENOENT/],
    ] as const) {
      const run = await runCli(['diagnose', 'g1', '--kubeconfig', file], env);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`error: cannot load the kubeconfig ${file}: `));
      assert.match(run.stderr, why);
      assert.match(run.stderr, /pass --kubeconfig a readable kubeconfig file/);
      assert.deepEqual(secretsIn(run, [token]), []);
    }
  });

  it('the bin shim sets the exit code (no process.exit) and --help exits 0', () => {
    const bin = join(__dirname, '..', '..', 'bin', 'nodegroup-api.js');
    const bad = spawnSync(process.execPath, [bin, 'bogus'], {
      encoding: 'utf8',
      env: { ...env, PATH: process.env['PATH'] },
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command 'bogus'/);
    const help = spawnSync(process.execPath, [bin, '--help'], {
      encoding: 'utf8',
      env: { ...env, PATH: process.env['PATH'] },
    });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: nodegroup-api/);
  });
});
