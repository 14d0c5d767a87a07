/**
 * Allure results of a real cucumber run against the embedded sandbox: a few runbooks plus a
 * deliberately failing one (test/fixtures/failing), into a temporary reports folder. The results
 * are parsed: write steps carry a before/after YAML diff, their HTTP exchanges and the kubectl
 * commands with output; the failure is sorted into the right category by categories.json (applied
 * as Allure applies it) and carries the automatic diagnosis; no file under the reports folder holds
 * the sandbox password or an issued token; history carries over into the next run's results.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_ADMIN_PASSWORD } from '../src/constants';
import { loginRequest } from '../src/kapi/auth';
import { type Category, categorize } from '../src/report/categories';
import { carryHistory } from '../src/report/history';
import { startSandbox } from '../src/sandbox/sandbox';
import { type FinishedRun, runCucumber } from './cucumber-harness';

const scratch = mkdtempSync(join(tmpdir(), 'report-results-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const SCENARIOS = [
  'Bind a node and unbind it again',
  'Patch the description of a nodegroup, leaving the rest alone',
  'A bound node carries the label of another nodegroup',
  'Bind a namespace and check every object it touches',
];
const FEATURES = [
  'features/binding/node.feature',
  'features/nodegroup/lifecycle.feature',
  'test/fixtures/failing/wrong-label.feature',
  'features/binding/namespace.feature',
];
/** A signed token as the sandbox (and KubeSphere) issues them: three base64url parts, JSON header. */
const TOKEN_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

function cucumber(reports: string, features = FEATURES, extra: string[] = []) {
  const name = `^(${SCENARIOS.join('|')})$`;
  return runCucumber(
    ['-p', 'default', ...extra, '--world-parameters', '{"waitTimeoutMs":1500}', '--name', name, ...features],
    { HOME: scratch, RUNBOOK_REPORTS_DIR: reports, RUNBOOK_RUN_ID: '' },
  );
}

interface AllureStep {
  name: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  attachments?: { name: string; source: string; type: string }[];
  steps?: AllureStep[];
}
interface AllureResult extends AllureStep {
  status: string;
  historyId: string;
  parameters: { name: string; value: string; excluded?: boolean }[];
  labels: { name: string; value: string }[];
}

/** One exchange of an HTTP attachment (src/report/attachments.ts). */
interface Exchange {
  call: string;
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; body: { metadata: { name: string } } };
}

function readResults(dir: string): AllureResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as AllureResult);
}

/** name -> content of the attachments of a step (allure-cucumberjs wraps each in a sub-step). */
function attachmentsOf(dir: string, step: AllureStep): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (s: AllureStep) => {
    for (const a of s.attachments ?? []) out.set(a.name, readFileSync(join(dir, a.source), 'utf8'));
    for (const child of s.steps ?? []) visit(child);
  };
  visit(step);
  return out;
}

function step(result: AllureResult, text: RegExp): AllureStep {
  const found = result.steps?.find((s) => text.test(s.name));
  assert.ok(found, `no step ${text} in "${result.name}": ${result.steps?.map((s) => s.name).join(' | ')}`);
  return found;
}

function attachment(dir: string, s: AllureStep, name: RegExp): string {
  const all = attachmentsOf(dir, s);
  const key = [...all.keys()].find((k) => name.test(k));
  assert.ok(key, `step "${s.name}" has no attachment ${name}; it has: ${[...all.keys()].join(', ')}`);
  return all.get(key)!;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('Allure results of a runbook run against the sandbox (--parallel 2)', () => {
  const reports = join(scratch, 'reports');
  const resultsDir = join(reports, 'allure-results');
  let run: FinishedRun;
  let results: AllureResult[];
  const byName = (name: string) => {
    const r = results.find((x) => x.name === name);
    assert.ok(r, `no result for "${name}"; results: ${results.map((x) => x.name).join(', ')}\n${run.out}`);
    return r;
  };

  before(async () => {
    // Two workers: each its own sandbox, the formatter in the coordinator, metadata merged.
    run = await cucumber(reports, FEATURES, ['--parallel', '2']);
    results = readResults(resultsDir);
  });

  test('one result per scenario; the deliberately failing one fails the run', () => {
    assert.equal(run.code, 1, run.out);
    assert.deepEqual(results.map((r) => r.name).sort(), [...SCENARIOS].sort());
    assert.equal(byName(SCENARIOS[0]!).status, 'passed', run.out);
    assert.equal(byName(SCENARIOS[1]!).status, 'passed', run.out);
    assert.equal(byName(SCENARIOS[3]!).status, 'passed', run.out);
  });

  test('a bind step carries the YAML diff of the node and its HTTP exchange', () => {
    const bind = step(byName(SCENARIOS[0]!), /^When I bind node "\$\{NODE\}" to nodegroup "site"$/);
    const diff = attachment(resultsDir, bind, /^before -> after: node worker-3/);
    assert.match(diff, /^# node worker-3: before -> after/);
    const added = diff.split('\n').filter((l) => l.startsWith('+ '));
    assert.equal(added.length, 1, diff);
    assert.match(added[0]!, /^\+ {3}apps\.edgewize\.io\/nodegroup: site-[a-z0-9-]+$/);

    const http = attachment(resultsDir, bind, /^HTTP: 1 exchange/);
    const docs = parseAllDocuments(http).map((d) => d.toJS() as Exchange | null);
    const exchange = docs.find((d) => d?.call);
    assert.ok(exchange, http);
    assert.match(exchange.call, /^POST \/kapis\/[^ ]+\/nodegroups\/site-[a-z0-9-]+\/nodes\/worker-3 -> 200$/);
    assert.equal(exchange.request.method, 'POST');
    assert.equal(exchange.request.headers['authorization'], '<redacted>');
    assert.equal(exchange.response?.status, 200);
    assert.equal(exchange.response?.body.metadata.name, 'worker-3');
  });

  test('a result names what its words stood for: each variable and, kept out of the historyId, each unique name', () => {
    const bound = byName(SCENARIOS[0]!);
    const param = (r: AllureResult, name: string) => {
      const found = r.parameters.filter((p) => p.name === name);
      assert.equal(found.length, 1, `"${r.name}" parameters: ${JSON.stringify(r.parameters)}`);
      return found[0]!;
    };
    assert.deepEqual(param(bound, 'NODE'), { name: 'NODE', value: 'worker-3', excluded: false });
    const site = param(bound, 'site');
    assert.match(site.value, /^site-[a-z0-9-]+$/);
    assert.equal(site.excluded, true);
    // The same unique name the bind step's evidence shows.
    const bind = step(bound, /^When I bind node "\$\{NODE\}" to nodegroup "site"$/);
    const diff = attachment(resultsDir, bind, /^before -> after: node worker-3/);
    assert.match(diff, new RegExp(`^\\+ {3}apps\\.edgewize\\.io/nodegroup: ${site.value}$`, 'm'));
    // The step's note opens with the step as it ran.
    const note = attachment(resultsDir, bind, /^waits and ledger/);
    assert.equal(note.split('\n')[0], `# I bind node "worker-3" to nodegroup "${site.value}"`);
    // The failing scenario names its variables and its nodegroup too.
    const failed = byName(SCENARIOS[2]!);
    assert.equal(param(failed, 'NODE').value, 'worker-3');
    assert.equal(param(failed, 'labelled').excluded, true);
    // A scenario without variables has only its unique names, all excluded.
    const patched = byName(SCENARIOS[1]!);
    assert.deepEqual(
      patched.parameters.map((p) => [p.name, p.excluded]),
      [['patched', true]],
    );
  });

  test('the Suites tree follows the features folder: parentSuite is the folder, suite the feature', () => {
    const suites = (r: AllureResult) =>
      ['parentSuite', 'suite', 'feature'].map((name) =>
        r.labels.filter((l) => l.name === name).map((l) => l.value),
      );
    assert.deepEqual(suites(byName(SCENARIOS[0]!)), [
      ['binding'],
      ['Bind and unbind nodes'],
      ['Bind and unbind nodes'],
    ]);
    assert.deepEqual(suites(byName(SCENARIOS[1]!)), [
      ['nodegroup'],
      ['Nodegroup lifecycle'],
      ['Nodegroup lifecycle'],
    ]);
    assert.deepEqual(suites(byName(SCENARIOS[2]!)), [
      ['failing'],
      ['A deliberately failing runbook (report tests)'],
      ['A deliberately failing runbook (report tests)'],
    ]);
  });

  test('a namespace bind shows both objects it changed: the namespace and the nodegroup', () => {
    const bind = step(
      byName(SCENARIOS[3]!),
      /^When I bind namespace "\$\{NAMESPACE\}" to nodegroup "tenants"$/,
    );
    const ns = attachment(resultsDir, bind, /^before -> after: namespace monitoring/);
    assert.match(ns, /^\+ {3}apps\.edgewize\.io\/nodegroup: tenants-\S+$/m);
    const group = attachment(resultsDir, bind, /^before -> after: nodegroup tenants-/);
    assert.match(group, /^- labels: \{\}$/m);
    assert.match(group, /^\+ {3}apps\.edgewize\.io\/namespace-monitoring: monitoring$/m);
  });

  test('creating a nodegroup shows it appear, with its finalizer and state', () => {
    const create = step(byName(SCENARIOS[0]!), /^Given a new nodegroup "site"$/);
    const diff = attachment(resultsDir, create, /^before -> after: nodegroup site-/);
    assert.match(diff, /^- \(does not exist\)$/m);
    assert.match(diff, /^\+ {3}- finalizers\.nodegroups\.kubesphere\.io$/m);
    assert.match(diff, /^\+ state: active$/m);
  });

  test('a patch step shows exactly the field it changed', () => {
    const patch = step(byName(SCENARIOS[1]!), /^When I patch nodegroup "patched" setting description/);
    const diff = attachment(resultsDir, patch, /^before -> after: nodegroup patched-/);
    const changed = diff.split('\n').filter((l) => /^[+-] /.test(l));
    assert.deepEqual(changed, ['+   description: Rack 7, second floor'], diff);
    assert.match(diff, /^ {4}alias: Before$/m);
    const http = attachment(resultsDir, patch, /^HTTP: /);
    assert.match(http, /^call: PATCH \/kapis\/\S+\/nodegroups\/patched-\S+ -> 200$/m);
    assert.match(http, /description: Rack 7, second floor/);
  });

  test('kubectl steps carry the command and its output', () => {
    const check = step(byName(SCENARIOS[0]!), /^And kubectl lists node "\$\{NODE\}" in nodegroup "site"$/);
    const out = attachment(resultsDir, check, /^kubectl get nodes -l /);
    const lines = out.split('\n');
    assert.match(lines[0]!, /^\$ kubectl get nodes -l apps\.edgewize\.io\/nodegroup=site-[a-z0-9-]+$/);
    assert.equal(lines[1]!.startsWith('# exit code 0,'), true, out);
    assert.match(out, /^NAME\s+STATUS/m);
    assert.match(out, /^worker-3\s+Ready/m);
    assert.doesNotMatch(out, /--kubeconfig|--cache-dir/, 'the run-private flags stay out of the evidence');
  });

  test('the failing assertion is a product defect by categories.json, with the diagnosis attached', () => {
    const failed = byName(SCENARIOS[2]!);
    assert.equal(failed.status, 'failed', 'a product defect is red');
    const categories = JSON.parse(readFileSync(join(resultsDir, 'categories.json'), 'utf8')) as Category[];
    assert.deepEqual(categorize(failed, categories), ['Product defects'], failed.statusDetails?.message);
    const failing = step(failed, /belongs to nodegroup "never-bound"$/);
    assert.equal(failing.status, 'failed');
    assert.match(
      failing.statusDetails?.message ?? '',
      /^\[RUNBOOK_VERIFY\] VerifyError: expected node worker-3 with label apps\.edgewize\.io\/nodegroup=never-bound\nlast seen: label apps\.edgewize\.io\/nodegroup=labelled-\S+ \(settled: /,
    );
    const diagnosis = attachment(resultsDir, failing, /^diagnosis: labelled-/);
    assert.match(diagnosis, /^# involved: nodegroups: labelled-\S+; nodes: worker-3$/m);
    assert.match(diagnosis, /^1 resource-exists\s+PASS/m);
    assert.match(diagnosis, /^3 node-labels\s+PASS\s+1 node\(s\) labelled/m);
    const pods = attachment(resultsDir, failing, /^nodegroup pods/);
    assert.match(pods, /^nodegroup-controller-manager-\S+\s+Running\s+True/m);
    const config = attachment(resultsDir, failing, /^nodegroup config/);
    assert.match(config, /^scheduling:\n {2}enabled: true$/m);
    const objects = attachment(resultsDir, failing, /^objects involved/);
    assert.match(objects, /^kind: NodeGroup$/m);
    // Steps that passed carry no diagnosis.
    const passed = step(failed, /^And node "\$\{NODE\}" is bound to nodegroup "labelled"$/);
    assert.equal(
      [...attachmentsOf(resultsDir, passed).keys()].some((k) => k.startsWith('diagnosis')),
      false,
    );
  });

  test('environment.properties, executor.json and categories.json describe the run', () => {
    const env = readFileSync(join(resultsDir, 'environment.properties'), 'utf8');
    // One sandbox per worker: both workers' facts are merged into the file.
    assert.match(env, /^target\.url=http\\:\/\/127\.0\.0\.1\\:\d+, http\\:\/\/127\.0\.0\.1\\:\d+$/m);
    assert.match(env, /^target\.kind=embedded sandbox \(one per worker\)$/m);
    assert.match(env, /^user=admin$/m);
    assert.match(env, /^kubesphere\.version=v\d+\.\d+\.\d+$/m);
    assert.match(env, /^nodegroup\.version=nodegroup-apiserver v\S+, nodegroup-controller-manager v\S+$/m);
    assert.match(env, /^runner\.version=nodegroup-runbooks \d+\.\d+\.\d+$/m);
    const executor = JSON.parse(readFileSync(join(resultsDir, 'executor.json'), 'utf8'));
    assert.match(executor.buildName, /^run \d{12}-[0-9a-f]{6}$/);
    const categories = JSON.parse(readFileSync(join(resultsDir, 'categories.json'), 'utf8')) as Category[];
    assert.deepEqual(
      categories.map((c) => c.name),
      [
        'Runbook errors',
        'Product defects',
        'Stuck controllers',
        'Environment problems',
        'Changes left behind',
      ],
    );
  });

  test('no file under the reports folder holds the sandbox password or an issued token', async () => {
    // The scan looks for the token shape: check the sandbox really issues tokens of that shape.
    const sandbox = await startSandbox();
    try {
      const login = loginRequest({ username: sandbox.username, password: sandbox.password });
      const res = await fetch(`${sandbox.url}${login.path}`, login);
      const { access_token } = (await res.json()) as { access_token: string };
      assert.match(access_token, TOKEN_SHAPE);
      assert.equal(sandbox.password, DEFAULT_ADMIN_PASSWORD);
    } finally {
      await sandbox.stop();
    }
    const files = filesUnder(reports);
    assert.ok(files.length > 20, `only ${files.length} files under ${reports}`);
    const login = files.map((f) => readFileSync(f, 'utf8')).find((t) => t.includes('grant_type=password'));
    assert.ok(login, 'the login exchange is part of the evidence (redacted), so the scan means something');
    assert.match(
      login,
      /body: grant_type=password&username=admin&password=<redacted>&client_id=kubesphere&client_secret=<redacted>\n/,
    );
    // The record stays whole: every key, the token type, the lifetime; only the values go.
    assert.match(
      login,
      /\n( +)access_token: <redacted>\n\1token_type: Bearer\n\1refresh_token: <redacted>\n\1expires_in: \d+\n/,
    );
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.equal(text.includes(DEFAULT_ADMIN_PASSWORD), false, `${file} holds the sandbox password`);
      assert.equal(
        text.includes(encodeURIComponent(DEFAULT_ADMIN_PASSWORD)),
        false,
        `${file} holds the password`,
      );
      assert.doesNotMatch(text, TOKEN_SHAPE, `${file} holds a token`);
    }
  });

  test('history carries over: a second run starts fresh results, then takes the previous report history', async () => {
    const previousReport = join(scratch, 'previous-report');
    mkdirSync(join(previousReport, 'history'), { recursive: true });
    const trend = JSON.stringify([{ buildOrder: 1, data: { passed: 2, failed: 0, broken: 1 } }]);
    const history = JSON.stringify({ abc: { statistic: { passed: 1 }, items: [] } });
    writeFileSync(join(previousReport, 'history', 'history-trend.json'), trend);
    writeFileSync(join(previousReport, 'history', 'history.json'), history);

    const second = await cucumber(reports, ['features/nodegroup/lifecycle.feature']);
    assert.equal(second.code, 0, second.out);
    const now = readResults(resultsDir);
    assert.deepEqual(
      now.map((r) => r.name),
      [SCENARIOS[1]],
      'the earlier run results are not mixed in',
    );
    // Same scenario, same historyId, though its unique name is new: Allure's history is not split.
    const [before, again] = [byName(SCENARIOS[1]!), now[0]!];
    assert.notEqual(again.parameters[0]?.value, before.parameters[0]?.value);
    assert.equal(again.historyId, before.historyId);
    assert.deepEqual(carryHistory(previousReport, resultsDir), { copied: 2 });
    assert.equal(readFileSync(join(resultsDir, 'history', 'history-trend.json'), 'utf8'), trend);
    assert.equal(readFileSync(join(resultsDir, 'history', 'history.json'), 'utf8'), history);
    // No previous report (the first run ever): nothing to carry, no error.
    assert.deepEqual(carryHistory(join(scratch, 'no-report'), resultsDir), { copied: 0 });
    assert.throws(
      () => carryHistory(previousReport, join(scratch, 'no-results')),
      /does not exist; run the runbooks first/,
    );
  });
});
