/**
 * The operation decision (`isOperation`), exact names for operations, the guardrail rules as a
 * table (every environment kind, opted in or not, owned or not), and features/operations on the
 * embedded sandbox: they pass, keep their changes (listed with the revert command), and the
 * run's end-of-run proof (kept changes reverted in the sandbox, then compared) passes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Action } from '../../src/actions/types';
import {
  GuardrailError,
  type GuardTarget,
  guardBind,
  guardDelete,
  guardUnbind,
  isOperation,
  NameBook,
  readRunLedgers,
} from '../../src/runbook';

describe('operation mode', () => {
  test('isOperation: the @operation tag, from a pickle or as names', () => {
    assert.equal(isOperation([{ name: '@operation' }, { name: '@smoke' }]), true);
    assert.equal(isOperation(['@operation']), true);
    assert.equal(isOperation([{ name: '@operations' }, { name: '@readonly' }]), false);
    assert.equal(isOperation([]), false);
  });

  test('an exact NameBook uses names as written; a test one suffixes them', () => {
    const exact = new NameBook('abc', true);
    assert.equal(exact.claim('edge-site-1'), 'edge-site-1');
    assert.equal(exact.resolve('edge-site-1'), 'edge-site-1');
    const unique = new NameBook('abc').claim('edge-site-1');
    assert.match(unique, /^edge-site-1-abc-[0-9a-z]+$/);
  });
});

describe('guardrail rules', () => {
  const made: Action[] = [
    { op: 'create-nodegroup', name: 'mine' },
    { op: 'bind', kind: 'node', group: 'theirs', target: 'n-bound' },
  ];
  const target = (kind: 'sandbox' | 'live', prot: boolean, allow = false): GuardTarget => ({
    kind,
    host: 'https://ks.example',
    allowDestructive: allow,
    environment: 'prod',
    protected: prot,
    made: () => made,
  });
  const refuses = (fn: () => void, rule: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof GuardrailError && rule.test(e.message));

  test('the sandbox and the opt-in allow everything', () => {
    for (const t of [target('sandbox', false), target('live', true, true), target('live', false, true)]) {
      guardDelete(t, 'theirs');
      guardUnbind(t, [{ kind: 'node', group: 'theirs', target: 'n1', current: 'theirs' }]);
      guardBind(t, [{ kind: 'node', group: 'mine', target: 'n1', current: 'theirs' }]);
    }
  });

  test('delete: only what the run created, on every live environment', () => {
    for (const prot of [true, false]) {
      guardDelete(target('live', prot), 'mine');
      refuses(() => guardDelete(target('live', prot), 'theirs'), /delete nodegroup theirs.*not created/);
    }
  });

  test('protected: unbind only what the run bound or holds in its own group', () => {
    const t = target('live', true);
    guardUnbind(t, [{ kind: 'node', group: 'theirs', target: 'n-bound', current: 'theirs' }]);
    guardUnbind(t, [{ kind: 'node', group: 'mine', target: 'n-any', current: 'mine' }]);
    refuses(
      () =>
        guardUnbind(t, [
          { kind: 'node', group: 'theirs', target: 'n-bound' },
          { kind: 'namespace', group: 'theirs', target: 'ns1' },
          { kind: 'node', group: 'theirs', target: 'n2' },
        ]),
      /unbind namespace ns1 from nodegroup theirs; unbind node n2 from nodegroup theirs on .*those bindings/,
    );
    guardUnbind(target('live', false), [{ kind: 'node', group: 'theirs', target: 'n2' }]);
  });

  test('protected: no bind moves a target out of a group the run does not own', () => {
    const t = target('live', true);
    guardBind(t, [{ kind: 'node', group: 'mine', target: 'n-free' }]);
    guardBind(t, [{ kind: 'node', group: 'theirs', target: 'n-same', current: 'theirs' }]);
    guardBind(t, [{ kind: 'node', group: 'mine', target: 'n-bound', current: 'theirs' }]);
    refuses(
      () => guardBind(t, [{ kind: 'workspace', group: 'mine', target: 'ws', current: 'theirs' }]),
      /workspace ws is in nodegroup theirs, and the bind would move it out/,
    );
    guardBind(target('live', false), [{ kind: 'workspace', group: 'mine', target: 'ws', current: 'theirs' }]);
  });
});

describe('features/operations on the embedded sandbox', () => {
  const reports = mkdtempSync(join(tmpdir(), 'operations-sandbox-'));
  after(() => rmSync(reports, { recursive: true, force: true }));

  test('they pass, keep their changes, and the end-of-run proof holds', async () => {
    const root = join(__dirname, '..', '..', '..');
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(root, 'dist', 'scripts', 'run-runbooks.js'), 'features/operations'],
        {
          cwd: root,
          env: {
            ...process.env,
            RUNBOOK_REPORTS_DIR: reports,
            RUNBOOK_RUN_ID: 'ops-sandbox',
            RUNBOOK_ALLURE: 'off',
          },
          timeout: 120_000,
        },
        (err, stdout, stderr) =>
          resolve({
            code: err ? Number((err as { code?: number }).code ?? 1) : 0,
            out: `${stdout}${stderr}`,
          }),
      ),
    );
    assert.equal(code, 0, out);
    assert.match(out, /3 scenarios \(3 passed\)/);
    assert.match(out, /nodegroup-api nodegroup create --name edge-site-1 /);
    assert.match(out, /undo them with: npm run revert -- --run-id ops-sandbox/);
    assert.doesNotMatch(out, /edge-site-1-[0-9a-f]{6}/, 'an operation name got a run suffix');
    const pending = readRunLedgers(reports, 'ops-sandbox').flatMap((l) => l.pending);
    assert.ok(pending.length >= 13, `the ledger keeps the kept changes pending (${pending.length})`);
    // Each change carries the state it was made from, batch entries (decommission's unbind) too.
    const unbound = pending.find((e) => e.change.op === 'unbind' && e.change.kind === 'namespace');
    assert.equal(unbound?.seen?.name, 'demo-db');
    assert.match(unbound?.seen?.resourceVersion ?? '', /^\d+$/);
    assert.equal(
      (unbound!.seen!.fields['labels'] as Record<string, string>)['apps.edgewize.io/nodegroup'],
      'edge-old-1',
    );
  });
});
