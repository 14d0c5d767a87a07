/**
 * The pieces behind the Allure results: secret redaction, the before/after diff, the categories
 * against the library's real errors (a stuck finalizer in the sandbox, a wrong label, an
 * unreachable host), the objects a failed scenario involved, a diagnosis that cannot hang or
 * throw, and the metadata merged from several workers.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ClusterSource } from '../src/diagnose/types';
import { KapiClient } from '../src/kapi/client';
import { HttpError } from '../src/kapi/errors';
import { nodegroupRequests } from '../src/kapi/nodegroups';
import { KubeReader } from '../src/kube/reader';
import { evidenceAttachments } from '../src/report/attachments';
import { CATEGORIES, categorize } from '../src/report/categories';
import { stampError } from '../src/report/failure-codes';
import { diagnoseFailure, involvedIn } from '../src/report/failure-diagnosis';
import { mergeFacts, renderProperties, writeRunMetadata } from '../src/report/metadata';
import { stepOutcome } from '../src/report/outcome';
import {
  claimedNameParameters,
  isSecretVariable,
  NOT_SET,
  resolvedStepText,
  suiteLabels,
  variableParameters,
  variablesOf,
} from '../src/report/scenario-parameters';
import { objectDiff } from '../src/report/yaml-diff';
import { Kubectl } from '../src/runbook/actions/kubectl-runner';
import { ConfigError, MissingParameterError } from '../src/runbook/errors';
import { type Operation, Recorder, type ScenarioRecord } from '../src/runbook/evidence';
import { explainBlocked } from '../src/runbook/flow/blocked';
import { Verifier } from '../src/runbook/flow/verifier';
import { REDACTED, Redactor, redactArgs } from '../src/runbook/redact';
import { startSandbox } from '../src/sandbox/sandbox';

const scratch = mkdtempSync(join(tmpdir(), 'report-units-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** An error as it leaves a step (stamped with its code) and as the formatter writes its result. */
const asResult = (err: Error) => {
  const outcome = stepOutcome({ status: 'FAILED', message: (stampError(err) as Error).stack ?? '' });
  return { status: outcome.allureStatus, statusDetails: { message: outcome.message, trace: outcome.trace } };
};

describe('redaction at the source', () => {
  test('secret-named fields, Secret data and literal secrets go; the rest stays', () => {
    const r = new Redactor();
    r.addSecret('s3cr3t-literal-value');
    const out = r.value({
      access_token: 'aaa',
      spec: { password: 'pw', alias: 'keep me', note: 'contains s3cr3t-literal-value inside' },
      items: [{ kind: 'Secret', metadata: { name: 'db' }, data: { user: 'YWRtaW4=', nested: 'eA==' } }],
      users: [{ name: 'admin', user: { token: 'tok', 'client-key-data': 'LS0t' } }],
    });
    assert.deepEqual(out, {
      access_token: REDACTED,
      spec: { password: REDACTED, alias: 'keep me', note: `contains ${REDACTED} inside` },
      items: [{ kind: 'Secret', metadata: { name: 'db' }, data: { user: REDACTED, nested: REDACTED } }],
      users: [{ name: 'admin', user: { token: REDACTED, 'client-key-data': REDACTED } }],
    });
  });

  test('free text: kubeconfig lines, bearer tokens, form fields', () => {
    const r = new Redactor();
    const kubeconfig =
      'users:\n- name: admin\n  user:\n    token: eyJabc.def.ghi\n    client-key-data: LS0tLS1CRUdJTg==\n';
    assert.equal(
      r.text(kubeconfig),
      `users:\n- name: admin\n  user:\n    token: ${REDACTED}\n    client-key-data: ${REDACTED}\n`,
    );
    assert.equal(r.text('Authorization: Bearer abc.def'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(
      r.text('grant_type=password&password=x%40y&username=admin'),
      `grant_type=password&password=${REDACTED}&username=admin`,
    );
    assert.equal(
      r.text('nodegroup edge-a rejected the token (401)'),
      'nodegroup edge-a rejected the token (401)',
    );
  });

  test('command-line credentials in either form', () => {
    assert.deepEqual(redactArgs(['get', 'nodes', '--token', 'abc', '--password=pw', '-l', 'a=b']), [
      'get',
      'nodes',
      '--token',
      REDACTED,
      `--password=${REDACTED}`,
      '-l',
      'a=b',
    ]);
  });

  test('kubectl: the kubeconfig credentials in its output and a --token flag stay out of the evidence', async () => {
    const sandbox = await startSandbox();
    const ops: Operation[] = [];
    const kubectl = new Kubectl(sandbox.kubeconfigPath, undefined, (op) => ops.push(op));
    try {
      const token = /token: (\S+)/.exec(readFileSync(sandbox.kubeconfigPath, 'utf8'))?.[1];
      assert.ok(token, 'the sandbox kubeconfig carries a token');
      const view = await kubectl.run(['config', 'view', '--raw']);
      assert.equal(view.exitCode, 0, view.stderr);
      assert.equal(view.stdout.includes(token), false);
      assert.match(view.stdout, /^users:\n- name: \S+\n {2}user:\n {4}token: <redacted>$/m);
      const flagged = await kubectl.run(['get', 'nodes', '--token', token]);
      assert.equal(flagged.exitCode, 0, flagged.stderr);
      const recorded = JSON.stringify(ops);
      assert.equal(recorded.includes(token), false);
      assert.match(recorded, /"command":"kubectl get nodes --token <redacted>"/);
    } finally {
      kubectl.close();
      await sandbox.stop();
    }
  });

  test('the recorder stores operations redacted, with the secrets they carried scrubbed everywhere after', () => {
    const recorder = new Recorder({
      runId: 'r',
      worker: '0',
      target: { kind: 'sandbox', host: 'h', kubeServer: 'k' },
      startedAt: '',
      scenarios: [],
    });
    recorder.startScenario('s', 'u', []);
    recorder.startStep('step');
    recorder.add({ kind: 'note', text: 'login' }, ['issued-token-123456']);
    recorder.add({
      kind: 'kubectl',
      command: 'kubectl get x',
      exitCode: 0,
      stdout: 'x issued-token-123456',
      stderr: '',
      durationMs: 1,
    });
    const ops = recorder.currentStep!.operations;
    assert.equal((ops[1] as { stdout: string }).stdout, `x ${REDACTED}`);
  });
});

describe('before/after diff', () => {
  const node = (labels: Record<string, string>) => ({
    metadata: { name: 'n', labels, finalizers: [] },
    status: { phase: 'Ready' },
  });

  test('a label added shows as one + line; unchanged fields as context', () => {
    const diff = objectDiff('node', 'n', node({ a: '1' }), node({ a: '1', b: '2' }));
    const marked = diff.split('\n').filter((l) => /^[+-] /.test(l));
    assert.deepEqual(marked, ['+   b: "2"']);
    assert.match(diff, /^ {4}a: "1"$/m);
  });

  test('no change says so; an object that disappears shows as removed', () => {
    assert.match(objectDiff('node', 'n', node({}), node({})), /# no change/);
    const gone = objectDiff('nodegroup', 'g', { metadata: { name: 'g' }, spec: { alias: 'x' } }, undefined);
    assert.match(gone, /^\+ \(does not exist\)$/m);
    assert.match(gone, /^- {3}alias: x$/m);
  });

  test('step attachments: one per object, one for HTTP, one per kubectl command, one for waits and ledger', () => {
    const ops: Operation[] = [
      { kind: 'snapshot', label: 'before', resource: 'node', name: 'n', object: node({}) },
      {
        kind: 'http',
        request: { method: 'POST', url: 'http://h/kapis/x', headers: {} },
        response: { status: 200, body: { ok: true } },
        durationMs: 3,
      },
      { kind: 'snapshot', label: 'after', resource: 'node', name: 'n', object: node({ b: '2' }) },
      {
        kind: 'kubectl',
        command: 'kubectl get nodes',
        exitCode: 0,
        stdout: 'NAME\nn\n',
        stderr: '',
        durationMs: 5,
      },
      { kind: 'wait', description: 'node n with b', ok: true, durationMs: 2 },
      {
        kind: 'ledger',
        action: 'recorded',
        entry: { change: { op: 'bind', kind: 'node', group: 'g', target: 'n' } },
      },
    ];
    const names = evidenceAttachments(ops).map((a) => a.name);
    assert.deepEqual(names, [
      'before -> after: node n.diff',
      'HTTP: 1 exchange.yaml',
      'kubectl get nodes.txt',
      'waits and ledger.txt',
    ]);
    // A verification whose wait held adds nothing to its own step text: no attachment.
    const held: Operation[] = [{ kind: 'wait', description: 'node n with b', ok: true, durationMs: 2 }];
    assert.deepEqual(evidenceAttachments(held), []);
    const expired: Operation[] = [{ ...held[0]!, ok: false } as Operation];
    assert.deepEqual(
      evidenceAttachments(expired).map((a) => a.name),
      ['waits and ledger.txt'],
    );
  });
});

describe('scenario parameters and suite labels', () => {
  const vars: Record<string, string> = { NODE: 'worker-3', KUBESPHERE_PASSWORD: 'P@88w0rd-long', EMPTY: '' };
  const lookup = (name: string) => vars[name];
  /** `${NAME}` as a runbook writes it. */
  const v = (name: string) => `\${${name}}`;

  test('variables come from the step texts, doc strings and tables, each once, in order', () => {
    const scenario = {
      steps: [
        { text: `node "${v('NODE')}" is bound to nodegroup "${v('NODEGROUP')}"` },
        {
          text: 'I apply:',
          argument: { docString: { content: `{"alias":"${v('ALIAS')}","node":"${v('NODE')}"}` } },
        },
        {
          text: 'the table',
          argument: { dataTable: { rows: [{ cells: [{ value: v('ROW') }, { value: 'x' }] }] } },
        },
      ],
    };
    assert.deepEqual(variablesOf(scenario), ['NODE', 'NODEGROUP', 'ALIAS', 'ROW']);
  });

  test('values are part of the historyId; credentials and unset variables never show a value', () => {
    const redact = (t: string) => t.replace('worker', '<w>');
    assert.deepEqual(
      variableParameters(['NODE', 'KUBESPHERE_PASSWORD', 'EMPTY', 'MISSING'], lookup, redact),
      [
        { name: 'NODE', value: '<w>-3' },
        { name: 'KUBESPHERE_PASSWORD', value: REDACTED },
        { name: 'EMPTY', value: NOT_SET },
        { name: 'MISSING', value: NOT_SET },
      ],
    );
    for (const secret of ['KUBESPHERE_PASSWORD', 'CLIENT_SECRET', 'ACCESS_TOKEN', 'TOKEN', 'CLIENT_KEY_DATA'])
      assert.equal(isSecretVariable(secret), true, secret);
    for (const plain of ['NODE', 'WORKSPACE_NAMESPACE', 'TOKENIZER_NODE', 'KEY_NAME'])
      assert.equal(isSecretVariable(plain), false, plain);
    assert.deepEqual(claimedNameParameters([['site', 'site-ab12w1-3']]), [
      { name: 'site', value: 'site-ab12w1-3', excluded: true },
    ]);
  });

  test('the step as it ran: values and unique names filled in, credentials and unset variables not', () => {
    const resolve = (name: string) => (name === 'site' ? 'site-ab12w1-3' : name);
    assert.equal(
      resolvedStepText(`I bind node "${v('NODE')}" to nodegroup "site"`, lookup, resolve),
      'I bind node "worker-3" to nodegroup "site-ab12w1-3"',
    );
    assert.equal(
      resolvedStepText(
        `I log in with "${v('KUBESPHERE_PASSWORD')}" as ${v('MISSING')} on "edge-a"`,
        lookup,
        resolve,
      ),
      `I log in with "${REDACTED}" as ${v('MISSING')} on "edge-a"`,
    );
  });

  test('suite labels: the feature file folder and the feature; labels set by tags stay', () => {
    const feature = { name: 'feature', value: 'Bind and unbind nodes' };
    assert.deepEqual(
      suiteLabels({
        titlePath: ['nodegroup-runbooks', 'features', 'binding', feature.value],
        labels: [feature],
      }),
      [
        { name: 'parentSuite', value: 'binding' },
        { name: 'suite', value: feature.value },
      ],
    );
    const tagged = [feature, { name: 'suite', value: 'from a tag' }];
    assert.deepEqual(
      suiteLabels({ titlePath: ['p', 'features', 'binding', feature.value], labels: tagged }),
      [{ name: 'parentSuite', value: 'binding' }],
    );
  });
});

describe('categories against the library errors', () => {
  test('a finalizer that never goes is a stuck controller; a wrong label is a product defect', async () => {
    const sandbox = await startSandbox();
    const client = new KapiClient({
      host: sandbox.url,
      credentials: { username: sandbox.username, password: sandbox.password },
    });
    try {
      const verifier = new Verifier(KubeReader.fromKubeconfig(sandbox.kubeconfigPath), () => {}, 300);
      await client.call(nodegroupRequests.create('stuck-one', {}));
      await verifier.until(
        { resource: 'nodegroup', name: 'stuck-one', description: 'stuck-one active' },
        (g) => (g?.['status'] as { state?: string } | undefined)?.state === 'active',
      );
      sandbox.faults.set('stuck-finalizer', { nodegroup: 'stuck-one' });
      await client.call(nodegroupRequests.delete('stuck-one'));
      const stuck = await verifier
        .until(
          { resource: 'nodegroup', name: 'stuck-one', description: 'nodegroup stuck-one gone' },
          (g) => !g,
        )
        .then(
          () => assert.fail('the nodegroup went away despite the stuck finalizer'),
          (err: Error) => err,
        );
      assert.match(
        stuck.message,
        /^wait expired: nodegroup stuck-one gone did not come about within 300 ms; nodegroup stuck-one is still terminating \(finalizers: /,
      );
      assert.deepEqual(categorize(asResult(stuck)), ['Stuck controllers']);

      const wrong = await verifier
        .until(
          {
            resource: 'node',
            name: 'worker-1',
            description: 'node worker-1 with label x=y',
            field: ['metadata', 'labels', 'x'],
          },
          (n) => n?.metadata.labels?.['x'] === 'y',
        )
        .then(
          () => assert.fail('worker-1 has no label x'),
          (err: Error) => err,
        );
      // worker-1 is settled (nothing in flight): the wait ends early, naming the one label.
      assert.match(
        wrong.message,
        /^expected node worker-1 with label x=y\nlast seen: no label x \(settled: /,
      );
      assert.deepEqual(categorize(asResult(wrong)), ['Product defects']);
      assert.equal(asResult(wrong).status, 'failed', 'a product defect is red');
      assert.equal(asResult(stuck).status, 'broken');
    } finally {
      await client.close();
      await sandbox.stop();
    }
  });

  test('an unreachable host is an environment problem, as is a step timeout', async () => {
    const client = new KapiClient({
      host: 'http://127.0.0.1:9',
      credentials: { username: 'u', password: 'p' },
      retries: 0,
    });
    const req = nodegroupRequests.list();
    const err = await client.call(req).then(
      () => assert.fail('port 9 answered'),
      (e: unknown) => explainBlocked(e, 'http://127.0.0.1:9', 'nodegroup-api nodegroup list', req) as Error,
    );
    await client.close();
    assert.equal(err.name, 'BlockedError');
    assert.deepEqual(categorize(asResult(err)), ['Environment problems']);
    const timeout = new Error('function timed out, ensure the promise resolves within 60000 milliseconds');
    assert.deepEqual(categorize(asResult(timeout)), ['Environment problems']);
    // A 403 (RBAC) and a 503 are the environment's; a 404 is the runbook's; a 500 the product's.
    const http = (status: number) =>
      new HttpError('POST', '/kapis/x', status, 'm', 'status', undefined, '') as Error;
    assert.deepEqual(categorize(asResult(http(403))), ['Environment problems']);
    assert.deepEqual(categorize(asResult(http(503))), ['Environment problems']);
    assert.deepEqual(categorize(asResult(http(404))), ['Runbook errors']);
    assert.deepEqual(categorize(asResult(http(500))), ['Product defects']);
    // The same wording without the code sorts nowhere: categories read codes, not messages.
    assert.deepEqual(
      categorize({ status: 'broken', statusDetails: { message: 'BlockedError: blocked: cannot reach h' } }),
      [],
    );
  });

  test('an assertion in a step is a product defect; a bad run parameter is a runbook error; a TypeError in none', () => {
    const assertion = (() => {
      try {
        assert.ok(false, 'nodegroup x is not in the list (a, b)');
      } catch (err) {
        return err as Error;
      }
      throw new Error('unreachable');
    })();
    assert.deepEqual(categorize(asResult(assertion)), ['Product defects']);
    const config = new ConfigError('world parameter "target" must be "sandbox" or "live"');
    assert.deepEqual(categorize(asResult(config)), ['Runbook errors']);
    assert.deepEqual(categorize(asResult(new MissingParameterError('NODE', 'node "${NODE}"'))), [
      'Runbook errors',
    ]);
    assert.deepEqual(
      categorize(asResult(new TypeError("Cannot read properties of undefined (reading 'x')"))),
      [],
    );
    assert.deepEqual(categorize({ status: 'passed' }), []);
  });

  test('cucumber outcomes: undefined, ambiguous and pending are broken runbook errors, never passed', () => {
    for (const status of ['UNDEFINED', 'AMBIGUOUS', 'PENDING']) {
      const o = stepOutcome(
        {
          status,
          message: status === 'AMBIGUOUS' ? 'Multiple step definitions match:\n  a\n  b' : undefined,
        },
        'I do x',
      );
      assert.equal(o.allureStatus, 'broken', status);
      assert.deepEqual(categorize({ status: o.allureStatus, statusDetails: { message: o.message! } }), [
        'Runbook errors',
      ]);
      assert.match(o.message!, /"I do x"/);
    }
    assert.equal(stepOutcome({ status: 'PASSED' }).allureStatus, 'passed');
    assert.equal(stepOutcome({ status: 'SKIPPED' }).allureStatus, 'skipped');
    // A stamped error keeps one tag, first; the stack goes to the trace only.
    const err = stampError(stampError(new ConfigError('bad'))) as Error;
    const o = stepOutcome({ status: 'FAILED', message: err.stack! });
    assert.equal(o.message, '[RUNBOOK_CONFIG] ConfigError: bad');
    assert.match(o.trace!, /\n\s+at /);
  });

  test('allure generate (Java regexes, whole message) sorts results as categorize() does', () => {
    const dir = join(scratch, 'category-results');
    mkdirSync(dir, { recursive: true });
    const cases: [string, string, string][] = [
      [
        'stuck',
        'broken',
        '[RUNBOOK_STUCK] WaitExpiredError: wait expired: nodegroup g gone ...\nlast seen: x',
      ],
      [
        'unreachable',
        'broken',
        '[RUNBOOK_ENV_UNREACHABLE] BlockedError: blocked: cannot reach http://h (ECONNREFUSED)',
      ],
      [
        'wrong label',
        'failed',
        '[RUNBOOK_VERIFY] VerifyError: expected node n with label a=b\nlast seen: no label a',
      ],
      [
        'assertion',
        'failed',
        '[ERR_ASSERTION] AssertionError [ERR_ASSERTION]: nodegroup x is not in the list',
      ],
      [
        'bad parameter',
        'broken',
        '[RUNBOOK_CONFIG] ConfigError: world parameter "target" must be "sandbox" or "live"',
      ],
      ['undefined', 'broken', '[CUCUMBER_UNDEFINED_STEP] UndefinedStep: no step definition matches "x"'],
      ['typo', 'broken', '[KAPI_HTTP_404] HttpError: POST /kapis/x/nodes/wroker-3 -> 404: not found'],
      [
        'unavailable',
        'broken',
        '[KAPI_HTTP_503] HttpError: GET /kapis/infra.kubesphere.io/v1alpha1/nodegroups -> 503: try later',
      ],
      [
        'server bug',
        'failed',
        '[KAPI_HTTP_500] HttpError: POST /kapis/infra.kubesphere.io/v1alpha1/nodegroups -> 500: boom',
      ],
      ['step bug', 'broken', "TypeError: Cannot read properties of undefined (reading 'x')"],
      ['undo failed', 'broken', '[RUNBOOK_CLEANUP] CleanupError: undoing 1 change failed'],
    ];
    for (const [name, status, message] of cases)
      writeFileSync(
        join(dir, `${name.replace(/ /g, '-')}-result.json`),
        JSON.stringify({
          uuid: name,
          historyId: name,
          name,
          status,
          statusDetails: { message },
          start: 1,
          stop: 2,
        }),
      );
    writeFileSync(join(dir, 'categories.json'), JSON.stringify(CATEGORIES));
    const out = join(scratch, 'category-report');
    const allure = join(__dirname, '..', '..', 'node_modules', 'allure-commandline', 'bin', 'allure');
    const gen = spawnSync(allure, ['generate', dir, '-o', out, '--clean'], { encoding: 'utf8' });
    assert.equal(
      gen.status,
      0,
      `${gen.stdout}${gen.stderr} (allure generate needs Java 17: apt-get install openjdk-17-jre-headless)`,
    );
    const tree = JSON.parse(readFileSync(join(out, 'data', 'categories.json'), 'utf8')) as {
      children: { name: string; children: { children?: { name: string }[] }[] }[];
    };
    const sorted = Object.fromEntries(
      tree.children.map((c) => [
        c.name,
        c.children.flatMap((m) => (m.children ?? []).map((t) => t.name)).sort(),
      ]),
    );
    assert.deepEqual(sorted, {
      'Stuck controllers': ['stuck'],
      'Environment problems': ['unavailable', 'unreachable'],
      'Product defects': ['assertion', 'server bug', 'wrong label'],
      'Runbook errors': ['bad parameter', 'typo', 'undefined'],
      'Changes left behind': ['undo failed'],
      'Test defects': ['step bug'],
    });
    for (const [name, status, message] of cases) {
      const expected: string = Object.entries(sorted).find(([, names]) => names.includes(name))![0];
      const mine = categorize({ status, statusDetails: { message } });
      assert.deepEqual(mine, expected === 'Test defects' ? [] : [expected], name);
    }
  });

  test('every category is written as Allure reads it: a Java-compatible regex, full match', () => {
    for (const c of CATEGORIES) {
      assert.doesNotThrow(() => new RegExp(c.messageRegex, 's'));
      assert.doesNotMatch(c.messageRegex, /\(\?<|\\p\{|\/[gimsuy]*$/, 'no JS-only syntax');
    }
  });
});

describe('failure diagnosis', () => {
  const scenario: ScenarioRecord = {
    name: 's',
    uri: 'u',
    tags: [],
    cleanup: [],
    steps: [
      {
        text: 'Given a new nodegroup "a"',
        operations: [
          { kind: 'ledger', action: 'recorded', entry: { change: { op: 'create-nodegroup', name: 'a-1' } } },
        ],
      },
      {
        text: 'When I bind namespace "ns" to nodegroup "b"',
        operations: [
          {
            kind: 'http',
            request: {
              method: 'POST',
              url: 'http://h/kapis/infra.kubesphere.io/v1alpha1/nodegroups/b-2/namespaces/ns',
              headers: {},
            },
            durationMs: 1,
          },
          {
            kind: 'wait',
            description: 'node worker-1 ...',
            resource: 'node',
            name: 'worker-1',
            ok: false,
            durationMs: 1,
          },
        ],
      },
    ],
  };

  test('the objects involved come from the evidence, the failing step first', () => {
    assert.deepEqual(involvedIn(scenario), {
      nodegroups: ['b-2', 'a-1'],
      nodes: ['worker-1'],
      namespaces: ['ns'],
      workspaces: [],
    });
    assert.deepEqual(involvedIn(undefined), { nodegroups: [], nodes: [], namespaces: [], workspaces: [] });
  });

  test('a cluster that never answers: the diagnosis returns at its deadline and says so', async () => {
    const never = new Promise<never>(() => {});
    const source: ClusterSource = { get: () => never, list: () => never, events: () => never };
    const d = await diagnoseFailure(source, involvedIn(scenario), 50);
    assert.match(d.problems.join('\n'), /did not finish within 50 ms/);
  });

  test('a cluster that fails every read: findings say why, nothing is thrown', async () => {
    const fail = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    const source: ClusterSource = { get: fail, list: fail, events: fail };
    const d = await diagnoseFailure(source, involvedIn(scenario), 5_000);
    assert.match(d.problems.join('\n'), /diagnosis of nodegroup b-2 failed: connect ECONNREFUSED/);
    assert.match(d.problems.join('\n'), /reading the cluster for the diagnosis failed: connect ECONNREFUSED/);
  });
});

describe('run metadata', () => {
  test('facts of two workers merge; properties are escaped; no duplicate values', () => {
    const merged = mergeFacts([
      { 'target.url': 'http://127.0.0.1:1', user: 'admin' },
      { 'target.url': 'http://127.0.0.1:2', user: 'admin' },
    ]);
    assert.deepEqual(merged, { 'target.url': 'http://127.0.0.1:1, http://127.0.0.1:2', user: 'admin' });
    assert.equal(renderProperties({ 'a key': 'x=y: z' }), 'a\\ key=x\\=y\\: z\n');
  });

  test('writing the metadata twice (each worker does) leaves the same complete files', () => {
    const reports = join(scratch, 'reports');
    const runDir = join(reports, 'runs', '260101000000-abcdef');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(
      join(runDir, 'environment-worker-0.json'),
      JSON.stringify({ 'target.url': 'u0', user: 'admin' }),
    );
    const results = join(reports, 'allure-results');
    writeRunMetadata(results, reports, '260101000000-abcdef');
    writeFileSync(
      join(runDir, 'environment-worker-1.json'),
      JSON.stringify({ 'target.url': 'u1', user: 'admin' }),
    );
    writeRunMetadata(results, reports, '260101000000-abcdef');
    const first = readFileSync(join(results, 'environment.properties'), 'utf8');
    writeRunMetadata(results, reports, '260101000000-abcdef');
    assert.equal(readFileSync(join(results, 'environment.properties'), 'utf8'), first);
    assert.equal(first, 'target.url=u0, u1\nuser=admin\n');
    const executor = JSON.parse(readFileSync(join(results, 'executor.json'), 'utf8'));
    assert.equal(executor.buildOrder, 260101000000);
    assert.deepEqual(JSON.parse(readFileSync(join(results, 'categories.json'), 'utf8')), CATEGORIES);
  });
});
