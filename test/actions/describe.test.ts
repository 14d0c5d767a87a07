/**
 * Actions and the repairs of findings as data, and `describe`: each renders as the exact command
 * line an operator types (nodegroup-api, kubectl, curl), quoted by the one shell quoting function,
 * and the words a shell makes of that line are the argv the runbooks run.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { apiArgs, describeRepair, describe as describeStep, kubectlArgs } from '../../src/actions/describe';
import { type Action, isRead, type Step } from '../../src/actions/types';
import { NODE_GROUP_LABEL, NODEGROUP_FINALIZER } from '../../src/constants';
import { repairs } from '../../src/diagnose/repairs';
import { commandLine, shellQuote, shellWords } from '../../src/shell';

describe('the repairs a finding carries', () => {
  test('nodegroup-api bind, unbind (several joined with &&), get and list', () => {
    const both = repairs.all([
      repairs.unbind('node', 'g1', 'worker-1'),
      repairs.unbind('node', 'g1', 'worker-2'),
    ]);
    assert.deepEqual(both, [
      { op: 'unbind', kind: 'node', group: 'g1', target: 'worker-1' },
      { op: 'unbind', kind: 'node', group: 'g1', target: 'worker-2' },
    ]);
    assert.equal(
      describeRepair(both),
      'nodegroup-api unbind node --nodegroup g1 --node worker-1 && nodegroup-api unbind node --nodegroup g1 --node worker-2',
    );
    assert.equal(
      describeRepair(repairs.bind('namespace', 'g1', 'monitoring')),
      'nodegroup-api bind namespace --nodegroup g1 --namespace monitoring',
    );
    assert.equal(describeRepair(repairs.getGroup('g1')), 'nodegroup-api nodegroup get g1');
    assert.equal(describeRepair(repairs.listGroups()), 'nodegroup-api nodegroup list');
  });

  test('kubectl label (drift), patch (finalizer, config), rollout restart and reads', () => {
    assert.equal(
      describeRepair(repairs.labelNode('worker-3', 'g1')),
      `kubectl label node worker-3 ${NODE_GROUP_LABEL}=g1 --overwrite`,
    );
    assert.equal(
      describeRepair(repairs.label('ippool', 'p1', { 'a/b': null })),
      'kubectl label ippool p1 a/b-',
    );
    assert.equal(
      describeRepair(repairs.removeFinalizer('g1', 0)),
      `kubectl patch nodegroup g1 --type=json -p '${JSON.stringify([
        { op: 'test', path: '/metadata/finalizers/0', value: NODEGROUP_FINALIZER },
        { op: 'remove', path: '/metadata/finalizers/0' },
      ])}'`,
    );
    const text = "scheduling:\n  enabled: true\nnote: it's\n";
    const [config] = repairs.patchConfig(text);
    const line = describeStep(config!);
    assert.match(line, /^kubectl patch cm nodegroup-config -n kubesphere-system --type=merge -p '/);
    // The line a shell reads back is the argv the runbook runs, quote inside the text and all.
    assert.deepEqual(shellWords(line), kubectlArgs(config!));
    assert.deepEqual(JSON.parse(shellWords(line).at(-1)!), { data: { 'nodegroup.yaml': text } });
    assert.equal(
      describeRepair(repairs.restartDeployment('nodegroup-controller-manager')),
      'kubectl rollout restart deployment/nodegroup-controller-manager -n kubesphere-system',
    );
    assert.equal(
      describeRepair(repairs.controllerPods()),
      'kubectl get pods -n kubesphere-system | grep nodegroup',
    );
    assert.equal(
      describeRepair(repairs.showConfig()),
      'kubectl get cm nodegroup-config -n kubesphere-system -o yaml',
    );
    assert.equal(describeRepair(repairs.listNodes()), 'kubectl get nodes --show-labels');
  });

  test('reads are told apart from writes', () => {
    for (const read of [
      repairs.showIPPool('g1'),
      repairs.showConfig(),
      repairs.listNodes(),
      repairs.getGroup('g'),
    ])
      assert.ok(read.every(isRead), JSON.stringify(read));
    for (const write of [
      repairs.labelNode('w', 'g'),
      repairs.bind('node', 'g', 'w'),
      repairs.restartDeployment('d'),
    ])
      assert.ok(!write.some(isRead), JSON.stringify(write));
  });
});

describe('describe: every action as a command line', () => {
  const cases: [Step, string][] = [
    [
      { op: 'create-nodegroup', name: 'edge-b', spec: { alias: "it's B" } },
      `nodegroup-api nodegroup create --name edge-b --alias 'it'"'"'s B'`,
    ],
    [
      { op: 'patch-nodegroup', name: 'edge-b', spec: { description: 'racks 3-4' } },
      "nodegroup-api nodegroup patch edge-b --description 'racks 3-4'",
    ],
    [
      { op: 'patch-nodegroup', name: 'edge-b', operations: [{ op: 'remove', path: '/spec/alias' }] },
      `nodegroup-api request PATCH /kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-b '[{"op":"remove","path":"/spec/alias"}]'`,
    ],
    [{ op: 'delete-nodegroup', name: 'edge-b' }, 'nodegroup-api nodegroup delete edge-b'],
    [
      { op: 'unbind', kind: 'workspace', group: 'g', target: 'team-b' },
      'nodegroup-api unbind workspace --nodegroup g --workspace team-b',
    ],
    [
      {
        op: 'patch-object',
        resource: 'namespace',
        name: 'demo',
        edit: { type: 'annotations', set: { a: 'x y' } },
        what: '',
      },
      "kubectl annotate namespace demo 'a=x y' --overwrite",
    ],
    [
      { op: 'set-fault', name: 'kapi-errors', options: { status: 503 } },
      `curl -sS -X PUT -H "Authorization: Bearer $TOKEN" -d '{"status":503}' "$KUBESPHERE_HOST"/sandbox/v1/faults/kapi-errors`,
    ],
    [
      { op: 'clear-fault', name: 'latency' },
      `curl -sS -X DELETE -H "Authorization: Bearer $TOKEN" "$KUBESPHERE_HOST"/sandbox/v1/faults/latency`,
    ],
  ];
  for (const [step, line] of cases)
    test(`${step.op} renders as \`${line.slice(0, 40)}...\``, () => {
      assert.equal(describeStep(step), line);
      const argv = apiArgs(step) ?? kubectlArgs(step);
      if (argv) assert.deepEqual(shellWords(line), argv, 'the line splits back into the argv that runs');
    });

  test('an edit without its edit cannot be described (nothing to run)', () => {
    const broken: Action = {
      op: 'patch-object',
      resource: 'node',
      name: 'w1',
      what: 'kubectl label node w1 x-',
    };
    assert.throws(() => describeStep(broken), /has no edit to describe/);
  });

  test('one quoting function: plain words stay bare, the rest round-trips through a shell split', () => {
    assert.equal(shellQuote('apps.edgewize.io/nodegroup=g1'), 'apps.edgewize.io/nodegroup=g1');
    for (const word of ["it's", 'a b', '$HOME', '', '"x"', 'a\\b'])
      assert.deepEqual(shellWords(commandLine(['x', word])), ['x', word], word);
  });
});
