/**
 * Environment files and their selection: --env / RUNBOOK_ENV / the default sandbox, every bad
 * input with its own code and exit code (unknown name with the known ones, syntax error at its
 * line, inline secret never echoed), credentials from variables or an owner-only file, and the
 * shipped environments/example.yaml being a valid, secret-free environment.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ENVIRONMENT_EXIT_CODES,
  EnvironmentError,
  loadEnvironment,
  resolveCredentials,
  SANDBOX_VARS,
  selectEnvironment,
  useEnvironment,
} from '../../src/environment';

const dir = mkdtempSync(join(tmpdir(), 'env-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { RUNBOOK_ENVIRONMENTS_DIR: dir };
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const rejects = (fn: () => unknown, code: keyof typeof ENVIRONMENT_EXIT_CODES, message: RegExp) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EnvironmentError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.exitCode, ENVIRONMENT_EXIT_CODES[code]);
    assert.match(err.message, message);
    return true;
  });

file('staging.yaml', 'host: https://ks.staging.example\ncontext: staging\nvars:\n  NODE: worker-9\n');
file('prod.yaml', 'host: https://ks.prod.example/\nprotected: true\n');

describe('selection', () => {
  test('the sandbox is the default; --env, --env= and RUNBOOK_ENV choose a file', () => {
    const none = selectEnvironment(['features/x.feature'], env);
    assert.equal(none.environment.name, 'sandbox');
    assert.equal(none.environment.kind, 'sandbox');
    assert.equal(none.explicit, false);
    assert.deepEqual(none.environment.vars, SANDBOX_VARS);
    assert.deepEqual(none.rest, ['features/x.feature']);

    const flag = selectEnvironment(['-p', 'live', '--env', 'staging', 'a.feature'], env);
    assert.equal(flag.environment.name, 'staging');
    assert.equal(flag.environment.kind, 'live');
    assert.equal(flag.environment.context, 'staging');
    assert.deepEqual(flag.environment.vars, { NODE: 'worker-9' });
    assert.deepEqual(flag.rest, ['-p', 'live', 'a.feature']);

    assert.equal(selectEnvironment(['--env=prod'], env).environment.host, 'https://ks.prod.example');
    assert.equal(selectEnvironment([], { ...env, RUNBOOK_ENV: 'prod' }).environment.protected, true);
    // The flag wins over the variable; a path works as well as a name.
    assert.equal(
      selectEnvironment(['--env', 'staging'], { ...env, RUNBOOK_ENV: 'prod' }).environment.name,
      'staging',
    );
    assert.equal(selectEnvironment(['--env', join(dir, 'prod.yaml')], {}).environment.name, 'prod');
  });

  test('useEnvironment hands the choice, --context and --allow-destructive on to workers', () => {
    const childEnv: Record<string, string | undefined> = { ...env };
    const chosen = useEnvironment(
      ['--env', 'prod', '--context', 'other', '--allow-destructive', 'x'],
      childEnv,
    );
    assert.deepEqual(chosen.rest, ['x']);
    assert.equal(childEnv['RUNBOOK_ENV'], join(dir, 'prod.yaml'));
    assert.equal(childEnv['KUBECONFIG_CONTEXT'], 'other');
    assert.equal(childEnv['RUNBOOK_ALLOW_DESTRUCTIVE'], '1');
    assert.equal(selectEnvironment([], childEnv).environment.name, 'prod');
    assert.deepEqual(chosen.notices, []);
  });

  test('--allow-destructive on the sandbox is harmless and says so', () => {
    const chosen = selectEnvironment(['--allow-destructive'], env);
    assert.equal(chosen.environment.kind, 'sandbox');
    assert.equal(chosen.allowDestructive, true);
    assert.match(chosen.notices.join('\n'), /--allow-destructive changes nothing on the sandbox/);
  });

  test('an unknown name lists the known environments', () => {
    rejects(
      () => selectEnvironment(['--env', 'prdo'], env),
      'ENV_UNKNOWN',
      /no environment "prdo": known environments: sandbox, prod, staging/,
    );
    rejects(() => selectEnvironment(['--env'], env), 'ENV_UNKNOWN', /--env needs an environment name/);
    rejects(() => loadEnvironment('../etc', env), 'ENV_UNKNOWN', /no environment file/);
  });
});

describe('bad environment files', () => {
  test('a syntax error names the file, line and column, and no text of the file', () => {
    const path = file('broken.yaml', 'host: https://ks.example\nvars:\n  NODE: [worker-1\n  OTHER: x\n');
    rejects(
      () => loadEnvironment('broken', env),
      'ENV_SYNTAX',
      new RegExp(`^${path}:\\d+:\\d+: not valid YAML`),
    );
    file('dup.yaml', 'host: https://a.example\nhost: https://b.example\n');
    rejects(
      () => loadEnvironment('dup', env),
      'ENV_SYNTAX',
      /dup\.yaml:2:1: not valid YAML: Map keys must be unique/,
    );
  });

  test('an inline password or token is refused without echoing it', () => {
    const secret = 'Hunter2-pa$$word';
    const cases: [string, RegExp][] = [
      [
        `host: https://ks.example\ncredentials:\n  password: "${secret}"\n`,
        /"credentials.password" holds a secret value/,
      ],
      [`host: https://ks.example\npassword: "${secret}"\n`, /the key "password" holds a secret value/],
      [`host: https://ks.example\nkubesphereToken: "${secret}"\n`, /the key "kubesphereToken"/],
      [
        `host: https://admin:${encodeURIComponent(secret)}@ks.example\n`,
        /"host" \(user:password@ in the URL\)/,
      ],
      [
        `host: https://ks.example\nvars:\n  API_TOKEN: "${secret}"\n`,
        /"vars.API_TOKEN" holds a secret value/,
      ],
      [
        `host: https://ks.example\nvars:\n  NODE: eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoiYSJ9.c2ln\n`,
        /"vars.NODE" holds a secret/,
      ],
    ];
    for (const [text, message] of cases) {
      file('leaky.yaml', text);
      assert.throws(
        () => loadEnvironment('leaky', env),
        (err: unknown) => {
          assert.ok(err instanceof EnvironmentError);
          assert.equal(err.code, 'ENV_INLINE_SECRET', err.message);
          assert.equal(err.exitCode, 12);
          assert.match(err.message, message);
          assert.doesNotMatch(err.message, /Hunter2|eyJhbGci/);
          return true;
        },
      );
    }
  });

  test('unknown keys, wrong types and a missing host say what is expected', () => {
    const cases: [string, RegExp][] = [
      ['host: https://ks.example\nhots: x\n', /unknown key "hots"; known keys: description, host/],
      ['context: a\n', /has no "host"/],
      ['host: ftp://ks.example\n', /http or https URL/],
      ['host: https://ks.example\nprotected: "yes"\n', /"protected" must be true or false/],
      ['host: https://ks.example\nvars: [a]\n', /"vars" must be a mapping/],
      [
        'host: https://ks.example\ncredentials:\n  username: admin\n',
        /"credentials.username" names an environment variable/,
      ],
      ['- a\n- b\n', /must be a YAML mapping/],
    ];
    for (const [text, message] of cases) {
      file('odd.yaml', text);
      rejects(() => loadEnvironment('odd', env), 'ENV_INVALID', message);
    }
  });
});

describe('credentials', () => {
  test('named environment variables, never the values in the file', () => {
    file(
      'named.yaml',
      'host: https://ks.example\ncredentials:\n  username: PROD_USER\n  password: PROD_PASS\n',
    );
    const named = loadEnvironment('named', env);
    assert.deepEqual(
      resolveCredentials(named.credentials, {
        PROD_USER: 'ops',
        PROD_PASS: 'p',
        KUBESPHERE_PASSWORD: 'other',
      }),
      {
        credentials: { username: 'ops', password: 'p' },
        from: 'PROD_USER/PROD_PASS or KUBESPHERE_TOKEN',
      },
    );
    const defaults = loadEnvironment('staging', env);
    assert.equal(resolveCredentials(defaults.credentials, { KUBESPHERE_TOKEN: 't' }).token, 't');
  });

  test('a credentials file must be readable by its owner only, and holds no echoed value', () => {
    const creds = join(dir, 'creds.yaml');
    writeFileSync(creds, 'username: ops\npassword: "s3cret: [x"\n');
    chmodSync(creds, 0o644);
    file('withfile.yaml', 'host: https://ks.example\ncredentials: creds.yaml\n');
    const chosen = loadEnvironment('withfile', env);
    assert.equal(chosen.credentials.file, creds);
    rejects(
      () => resolveCredentials(chosen.credentials, {}),
      'ENV_CREDENTIALS',
      /readable by others \(mode 644\): chmod 600/,
    );
    chmodSync(creds, 0o600);
    assert.deepEqual(resolveCredentials(chosen.credentials, {}).credentials, {
      username: 'ops',
      password: 's3cret: [x',
    });
    writeFileSync(creds, 'password: [s3cret\n');
    rejects(
      () => resolveCredentials(chosen.credentials, {}),
      'ENV_CREDENTIALS',
      /^(?!.*s3cret).*not valid YAML/,
    );
  });
});

test('the shipped environments/example.yaml is a valid environment without secrets', () => {
  const example = loadEnvironment(join(__dirname, '..', '..', '..', 'environments', 'example.yaml'), {});
  assert.equal(example.kind, 'live');
  assert.equal(example.protected, true);
  assert.ok(example.host?.startsWith('https://'));
  assert.ok(example.context);
  assert.ok(Object.keys(example.vars).includes('NODE'));
});
