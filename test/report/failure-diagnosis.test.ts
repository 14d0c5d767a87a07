/**
 * The objects a failed scenario involved, read from its evidence by the binding kinds table: a
 * kubectl patch of a ConfigMap is no nodegroup, a patched node is a node, a kind defined with
 * defineBindingKind is read from its KAPI path and its ledger entries.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { involvedIn, noneInvolved } from '../../src/report/failure-diagnosis';
import type { Operation, ScenarioRecord } from '../../src/runbook/evidence';
import { withRackKind } from '../fake-binding-kind';

const ledger = (change: Record<string, unknown>): Operation =>
  ({
    kind: 'ledger',
    action: 'recorded',
    entry: { type: 'change', seq: 1, at: '', scenario: 's', change },
  }) as Operation;
const scenario = (operations: Operation[]): ScenarioRecord =>
  ({ steps: [{ operations }] }) as unknown as ScenarioRecord;

describe('objects involved in a failure', () => {
  withRackKind();

  test('a patch-object entry names its object by kind, never as a nodegroup', () => {
    const involved = involvedIn(
      scenario([
        ledger({
          op: 'patch-object',
          resource: 'configmap',
          name: 'nodegroup-config',
          namespace: 'kubesphere-system',
          what: 'kubectl patch cm',
        }),
        ledger({
          op: 'patch-object',
          resource: 'node',
          name: 'worker-2',
          what: 'kubectl label node worker-2',
        }),
        ledger({ op: 'set-fault', name: 'controller-down' }),
        ledger({ op: 'patch-nodegroup', name: 'edge-a', spec: {} }),
      ]),
    );
    assert.deepEqual(involved.nodegroups, ['edge-a']);
    assert.deepEqual(involved['nodes'], ['worker-2']);
  });

  test("a kind defined in the table is read from its KAPI path and from a bind's entry", () => {
    const involved = involvedIn(
      scenario([
        {
          kind: 'http',
          request: {
            method: 'POST',
            url: 'http://h/kapis/infra.kubesphere.io/v1alpha1/nodegroups/g-1/racks/r-1',
            headers: {},
          },
          durationMs: 1,
        } as unknown as Operation,
        ledger({ op: 'bind', kind: 'rack', group: 'g-2', target: 'r-2' }),
        {
          kind: 'http',
          request: {
            method: 'GET',
            url: 'http://h/kapis/infra.kubesphere.io/v1alpha1/nodegroups/g-3/unknown/x',
            headers: {},
          },
          durationMs: 1,
        } as unknown as Operation,
      ]),
    );
    assert.deepEqual(involved.nodegroups, ['g-1', 'g-2', 'g-3']);
    assert.deepEqual(involved['racks'], ['r-1', 'r-2']);
    assert.deepEqual(noneInvolved(), {
      nodegroups: [],
      nodes: [],
      namespaces: [],
      workspaces: [],
      racks: [],
    });
  });
});
