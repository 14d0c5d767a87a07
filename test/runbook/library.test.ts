/** Unit tests of the runbook library: variable expansion, names, run config, guardrails, ledger, state diff. */
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkWorldParameters, splitProfiles } from '../../scripts/run-runbooks';
import {
  ALLOW_DESTRUCTIVE_ENV,
  ConfigError,
  diffState,
  expandVariables,
  kubectlWords,
  Ledger,
  latestRunId,
  MissingParameterError,
  metadataHolds,
  NameBook,
  newRunId,
  parseKey,
  parseKeyValue,
  parseRunConfig,
  readRunLedgers,
} from '../../src/runbook';

describe('variable expansion', () => {
  test('run parameters win over the environment', () => {
    assert.equal(
      expandVariables('node ${NODE} in ${NG}', { NODE: 'w-1' }, { NODE: 'x', NG: 'g' }),
      'node w-1 in g',
    );
  });
  test('a missing variable names itself, the text and the three ways to set it', () => {
    assert.throws(
      () => expandVariables('bind node "${NODE}"', {}, {}),
      (err: unknown) =>
        err instanceof MissingParameterError &&
        err.variable === 'NODE' &&
        err.message.includes('bind node "${NODE}"') &&
        err.message.includes('--world-parameters') &&
        err.message.includes('RUNBOOK_VAR_NODE=') &&
        err.message.includes('in the environment file'),
    );
  });
  test('text without variables is unchanged, an empty value counts as missing', () => {
    assert.equal(expandVariables('plain $NODE text', {}), 'plain $NODE text');
    assert.throws(() => expandVariables('${A}', { A: '' }), MissingParameterError);
  });
});

describe('per-run names', () => {
  test('claimed names are unique, DNS-1123 and resolved by the runbook name', () => {
    const book = new NameBook('ab12w1');
    const a = book.claim('canary');
    const b = new NameBook('ab12w1').claim('canary');
    assert.notEqual(a, b);
    assert.match(a, /^canary-ab12w1-[0-9a-z]+$/);
    assert.equal(book.resolve('canary'), a);
    assert.equal(book.resolve('edge-a'), 'edge-a');
    const long = book.claim('x'.repeat(80));
    assert.ok(long.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(long));
  });
  test('a text gets the unique names where it says a claimed name as a word of its own', () => {
    const book = new NameBook('ab12w1');
    const racks = book.claim('racks');
    const dotted = book.claim('edge.a');
    assert.equal(
      book.inText('racks-ippool of ippool-racks, not myracks or racks2; edge.a, not edgexa'),
      `${racks}-ippool of ippool-${racks}, not myracks or racks2; ${dotted}, not edgexa`,
    );
  });
  test('run ids sort by time', () => {
    assert.ok(newRunId(new Date('2026-01-01T00:00:00Z')) < newRunId(new Date('2026-01-02T00:00:00Z')));
  });
});

describe('run configuration', () => {
  test('sandbox is the default; live needs a host and names the variable', () => {
    assert.equal(parseRunConfig({}, {}).target, 'sandbox');
    assert.throws(() => parseRunConfig({ target: 'live' }, {}), /export KUBESPHERE_HOST=/);
    const live = parseRunConfig({ target: 'live' }, { KUBESPHERE_HOST: 'http://ks', KUBECONFIG: '/k' });
    assert.deepEqual([live.host, live.kubeconfig, live.allowDestructive], ['http://ks', '/k', false]);
  });
  test('unknown or ill-typed parameters are named', () => {
    assert.throws(() => parseRunConfig({ hots: 'x' }, {}), /world parameter "hots" is not known/);
    assert.throws(() => parseRunConfig({ vars: { NODE: 3 } }, {}), /"vars.NODE" must be a string/);
    assert.throws(() => parseRunConfig({ target: 'prod' }, {}), ConfigError);
    assert.throws(
      () => parseRunConfig({ sandboxLatencyMs: -1 }, {}),
      /"sandboxLatencyMs" must be an integer/,
    );
    assert.throws(
      () => parseRunConfig({ sandboxLatencyMs: '20' }, {}),
      /"sandboxLatencyMs" must be an integer/,
    );
    assert.throws(
      () => parseRunConfig({ target: 'live', host: 'http://h', sandboxLatencyMs: 20 }, {}),
      /applies to the embedded sandbox only/,
    );
  });
  test('a sandbox latency is a run setting of the embedded sandbox', () => {
    assert.equal(parseRunConfig({ sandboxLatencyMs: 20 }, {}).sandboxLatencyMs, 20);
    assert.equal(parseRunConfig({}, {}).sandboxLatencyMs, undefined);
  });
  test('destructive operations are allowed by the parameter or the environment variable', () => {
    assert.equal(parseRunConfig({ allowDestructive: true }, {}).allowDestructive, true);
    assert.equal(parseRunConfig({}, { [ALLOW_DESTRUCTIVE_ENV]: '1' }).allowDestructive, true);
  });
  test('--world-parameters JSON is checked before cucumber starts', () => {
    assert.match(checkWorldParameters(['--world-parameters', '{bad']) ?? '', /not valid JSON/);
    assert.match(checkWorldParameters(['--world-parameters=[1]']) ?? '', /must be a JSON object/);
    assert.equal(checkWorldParameters(['--world-parameters', '{"vars":{}}']), undefined);
    assert.deepEqual(splitProfiles(['-p', 'live', '--tags', '@x', '--profile=ci']), {
      profiles: ['live', 'ci'],
      rest: ['--tags', '@x'],
    });
  });
});

describe('ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-ledger-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const header = {
    runId: '260101000000-abcdef',
    worker: '0',
    pid: 1,
    startedAt: 'now',
    target: { kind: 'sandbox' as const, host: 'h' },
  };

  test('entries are pending newest first until undone; a refused change is not pending', () => {
    const ledger = Ledger.open(dir, header);
    ledger.record('s1', { op: 'create-nodegroup', name: 'g' });
    const bind = ledger.record('s1', { op: 'bind', kind: 'node', group: 'g', target: 'n' });
    const refused = ledger.record('s2', { op: 'bind', kind: 'node', group: 'g', target: 'missing' });
    ledger.markUndone(refused.seq, 'refused');
    assert.deepEqual(
      ledger.pending().map((e) => e.seq),
      [2, 1],
    );
    assert.deepEqual(ledger.pending('s2'), []);
    ledger.markUndone(bind.seq);
    assert.deepEqual(
      ledger.pending('s1').map((e) => e.change.op),
      ['create-nodegroup'],
    );
    assert.equal(ledger.entries().length, 3);
    assert.equal(latestRunId(dir), header.runId);
  });

  test('a torn last line (a kill mid-write) is ignored; damage elsewhere is reported', () => {
    const [file] = readRunLedgers(dir, header.runId);
    appendFileSync(file!.file, '{"type":"change","seq":9');
    assert.equal(readRunLedgers(dir, header.runId)[0]!.pending.length, 1);
    const text = readFileSync(file!.file, 'utf8').split('\n');
    text.splice(1, 0, 'garbage');
    writeFileSync(file!.file, text.join('\n'));
    assert.throws(() => readRunLedgers(dir, header.runId), /line 2 is not JSON/);
  });

  test('an unknown run id says where it looked', () => {
    assert.throws(() => readRunLedgers(dir, 'nope'), /no ledger for run nope/);
  });
});

describe('state diff', () => {
  test('names added, removed and changed objects with the changed fields', () => {
    const before = { 'node/a': { labels: {} }, 'nodegroup/x': { labels: {} } };
    const afterState = { 'node/a': { labels: { k: 'v' } }, 'nodegroup/y': { labels: {} } };
    assert.deepEqual(diffState(before, afterState), [
      'added nodegroup/y',
      'changed node/a: labels {} -> {"k":"v"}',
      'removed nodegroup/x',
    ]);
    assert.deepEqual(diffState(before, structuredClone(before)), []);
  });
});

describe('label and annotation expectations', () => {
  const node = {
    metadata: { name: 'w', labels: { 'apps.edgewize.io/nodegroup': 'edge-a' }, annotations: { a: '' } },
  };

  test('KEY=VALUE splits at the first =, keeps an empty value, and a bad form says how to write it', () => {
    assert.deepEqual(parseKeyValue('label', 'apps.edgewize.io/nodegroup=edge-a'), {
      key: 'apps.edgewize.io/nodegroup',
      value: 'edge-a',
    });
    assert.deepEqual(parseKeyValue('annotation', 'k=a=b'), { key: 'k', value: 'a=b' });
    assert.deepEqual(parseKeyValue('label', 'k='), { key: 'k', value: '' });
    assert.throws(() => parseKeyValue('label', 'no-value'), /must read KEY=VALUE .*got "no-value"/);
    assert.throws(() => parseKeyValue('label', '=v'), ConfigError);
    assert.throws(() => parseKey('label', 'k=v'), /takes the label's key alone/);
    assert.equal(parseKey('annotation', 'k'), 'k');
  });

  test('present with the value, absent, and a missing object never holds', () => {
    const label = (value: string | undefined) => ({
      field: 'label' as const,
      key: 'apps.edgewize.io/nodegroup',
      value,
    });
    assert.equal(metadataHolds(node, label('edge-a')), true);
    assert.equal(metadataHolds(node, label('edge-b')), false);
    assert.equal(metadataHolds(node, label(undefined)), false);
    assert.equal(metadataHolds(node, { field: 'annotation', key: 'a', value: '' }), true);
    assert.equal(metadataHolds(node, { field: 'annotation', key: 'b', value: undefined }), true);
    assert.equal(metadataHolds(undefined, label(undefined)), false);
  });
});

describe('kubectl commands written in a step', () => {
  test('shell words with quotes; a leading "kubectl" is optional', () => {
    assert.deepEqual(kubectlWords(`kubectl get nodes -l 'apps.edgewize.io/nodegroup in (a,b)'`), [
      'get',
      'nodes',
      '-l',
      'apps.edgewize.io/nodegroup in (a,b)',
    ]);
    assert.deepEqual(kubectlWords('get ns demo-app -o yaml'), ['get', 'ns', 'demo-app', '-o', 'yaml']);
  });

  test('pipes, chains, expansions and an empty command are refused with how to write it', () => {
    assert.throws(() => kubectlWords('get nodes | grep edge'), /uses "\|"; write one kubectl command/);
    assert.throws(() => kubectlWords('get nodes && get ns'), /uses "&&"/);
    assert.throws(() => kubectlWords('get ns $(id)'), /cannot run: the shell syntax "\$"/);
    assert.throws(() => kubectlWords('kubectl'), /names no command/);
  });
});
