/**
 * A binding kind added from the table alone (defineBindingKind) reaches every client-side place
 * that derives from it: the KAPI path, the CLI's bind/unbind subcommands, the runbooks' `{kind}`
 * parameter type, name checks, the Kubernetes resource read for it, and the mark a binding leaves.
 * The table is mutated, so this file runs alone in its process (node:test runs files apart).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CucumberExpression, ParameterType, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import {
  BINDING_KINDS,
  type BindingKind,
  bindingKindPattern,
  defineBindingKind,
  describeMark,
  groupOfTarget,
  kindParameterType,
} from '../src/binding-kinds';
import { nodegroupRequests } from '../src/kapi/nodegroups';
import type { KubeReader } from '../src/kube/reader';
import { collectionPath, resourceRef } from '../src/kube/resources';
import { Flow, type RunContext, Verifier, verifyGroup } from '../src/runbook';
import { type Recorded, runCli, sendJson, startServer } from './cli-helpers';

const RACK_LABEL = 'racks.example.io/nodegroup';
defineBindingKind({
  kind: 'rack',
  targetKind: 'Rack',
  group: 'racks.example.io',
  version: 'v1',
  resource: 'racks',
  mark: { on: 'label', key: RACK_LABEL },
});
const rack = 'rack' as BindingKind;

describe('a binding kind defined from the table alone', () => {
  it('is a kind everywhere the list of kinds is read', () => {
    assert.deepEqual(BINDING_KINDS, ['node', 'namespace', 'workspace', 'rack']);
    assert.ok(new RegExp(`^(${bindingKindPattern()})$`).test('rack'));
    assert.throws(
      () =>
        defineBindingKind({
          kind: 'rack',
          targetKind: 'Rack',
          group: '',
          version: 'v1',
          resource: 'racks',
          mark: { on: 'label', key: RACK_LABEL },
        }),
      /already defined/,
    );
  });

  it('builds its KAPI paths from its segment, and checks its names', () => {
    assert.deepEqual(nodegroupRequests.bind(rack, 'edge-a', 'r-1'), {
      method: 'POST',
      path: '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/racks/r-1',
    });
    assert.deepEqual(nodegroupRequests.unbind(rack, 'edge-a', 'r-1', { cluster: 'm1' }), {
      method: 'DELETE',
      path: '/kapis/clusters/m1/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/racks/r-1',
    });
    assert.throws(
      () => nodegroupRequests.bind(rack, 'edge-a', 'Not_A_Name'),
      /invalid rack name 'Not_A_Name'/,
    );
  });

  it('is read from Kubernetes as its own resource', () => {
    const ref = resourceRef('rack');
    assert.deepEqual(ref, {
      apiVersion: 'racks.example.io/v1',
      kind: 'Rack',
      plural: 'racks',
      namespaced: false,
    });
    assert.equal(collectionPath(ref), '/apis/racks.example.io/v1/racks');
    assert.throws(() => resourceRef('shelf'), /unknown resource "shelf"/);
  });

  it('is verified by its own mark', () => {
    assert.equal(describeMark(rack), `label ${RACK_LABEL}`);
    const marked = {
      metadata: { labels: { [RACK_LABEL]: 'edge-a', 'apps.edgewize.io/nodegroup': 'other' } },
    };
    assert.equal(groupOfTarget(rack, marked), 'edge-a');
    assert.equal(
      groupOfTarget(rack, { metadata: { labels: { 'apps.edgewize.io/nodegroup': 'edge-a' } } }),
      undefined,
    );
    assert.equal(groupOfTarget(rack, undefined), undefined);
  });

  it('is awaited by its mark on its own resource when a runbook verifies a binding', async () => {
    const asked: string[] = [];
    const marked = { kind: 'Rack', metadata: { name: 'r-1', labels: { [RACK_LABEL]: 'edge-a' } } };
    const kube = {
      waitFor: async (ref: { plural: string }, name: string, holds: (o: unknown) => boolean) => {
        asked.push(`${ref.plural}/${name}`);
        assert.equal(
          holds({ metadata: { name, labels: { 'apps.edgewize.io/nodegroup': 'edge-a' } } }),
          false,
        );
        assert.equal(holds(marked), true);
        return marked;
      },
    } as unknown as KubeReader;
    const snapshots: unknown[] = [];
    const ctx = {
      verifier: new Verifier(kube, () => {}, 100),
      record: (op: { kind: string }) => op.kind === 'snapshot' && snapshots.push(op),
    } as unknown as RunContext;
    assert.equal(await verifyGroup(new Flow(ctx, 's'), rack, 'r-1', 'edge-a'), marked);
    assert.deepEqual(asked, ['racks/r-1']);
    assert.equal(snapshots.length, 1, 'the after snapshot');
  });

  it("is a word of the runbooks' {kind} parameter type", () => {
    const registry = new ParameterTypeRegistry();
    const t = kindParameterType();
    registry.defineParameterType(new ParameterType(t.name, t.regexp, null, t.transformer, true, false));
    const expression = new CucumberExpression('I bind {kind} {string} to nodegroup {string}', registry);
    const args = expression.match('I bind rack "r-1" to nodegroup "edge-a"');
    assert.deepEqual(
      args?.map((a) => a.getValue(null)),
      ['rack', 'r-1', 'edge-a'],
    );
    assert.equal(expression.match('I bind shelf "r-1" to nodegroup "edge-a"'), null);
  });
});

describe('nodegroup-api bind/unbind for the defined kind', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer((req: Recorded, res) => sendJson(res, 200, { ok: true, url: req.url }));
  });
  after(() => server.close());
  const env = () => ({ KUBESPHERE_HOST: server.url, KUBESPHERE_TOKEN: 'tok-rack', HOME: '/nonexistent' });

  it('has the subcommand with the kind as its flag, sending to the kind path', async () => {
    const help = await runCli(['bind', '--help'], env());
    assert.match(help.stdout, /\brack\b/);
    const bind = await runCli(['bind', 'rack', '--nodegroup', 'edge-a', '--rack', 'r-1'], env());
    assert.equal(bind.code, 0, bind.stderr);
    const unbind = await runCli(['unbind', 'rack', '--nodegroup', 'edge-a', '--rack', 'r-1'], env());
    assert.equal(unbind.code, 0, unbind.stderr);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.url}`),
      [
        'POST /kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/racks/r-1',
        'DELETE /kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/racks/r-1',
      ],
    );
  });

  it('refuses the subcommand without its flag, naming the correct form', async () => {
    const before = server.requests.length;
    const run = await runCli(['bind', 'rack', '--nodegroup', 'edge-a'], env());
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--rack <name>/);
    assert.equal(server.requests.length, before);
  });
});
