/**
 * The nodegroup-api lines that findings and blocked steps show are real commands: each action's
 * argv, given to nodegroup-api (--dry-run, nothing sent), builds the very request the runbook
 * sends for that action. So the line an operator copies does what the runbook did.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { apiArgs, describe as describeStep } from '../../src/actions/describe';
import type { KapiAction, Step } from '../../src/actions/types';
import { withQuery } from '../../src/kapi/client';
import { nodegroupRequests } from '../../src/kapi/nodegroups';
import { requestOf } from '../../src/runbook';
import { shellWords } from '../../src/shell';
import { runCli } from '../cli-helpers';

const HOST = 'http://ks.example';

async function dryRun(argv: string[]): Promise<string> {
  assert.equal(argv[0], 'nodegroup-api');
  const run = await runCli(['--dry-run', '--host', HOST, '--token', 'tok', ...argv.slice(1)], {
    HOME: '/nonexistent',
  });
  assert.equal(run.code, 0, `${argv.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

describe('the nodegroup-api line of each action', () => {
  const writes: KapiAction[] = [
    { op: 'create-nodegroup', name: 'edge-b', spec: { alias: "it's B", manager: 'ops' } },
    { op: 'patch-nodegroup', name: 'edge-b', spec: { description: 'racks 3-4' } },
    { op: 'patch-nodegroup', name: 'edge-b', operations: [{ op: 'remove', path: '/spec/alias' }] },
    { op: 'delete-nodegroup', name: 'edge-b' },
    { op: 'bind', kind: 'node', group: 'g1', target: 'worker-3' },
    { op: 'unbind', kind: 'namespace', group: 'g1', target: 'monitoring' },
    { op: 'bind', kind: 'workspace', group: 'g1', target: 'team-b' },
  ];
  for (const action of writes)
    test(`${describeStep(action)}`, async () => {
      const argv = shellWords(describeStep(action));
      assert.deepEqual(argv, apiArgs(action));
      const req = requestOf(action);
      const out = await dryRun(argv);
      assert.ok(out.includes(`${req.method} ${HOST}${withQuery(req.path, req.query)}`), out);
      // The dry run prints: request line, headers, a blank line, the body, a blank line, the curl.
      if (req.body !== undefined)
        assert.deepEqual(JSON.parse(out.split('\n\n')[1]!), req.body, 'the same body');
      if (req.contentType) assert.ok(out.includes(`content-type: ${req.contentType}`), out);
    });

  test('the reads a finding recommends are nodegroup-api commands too', async () => {
    const reads: Step[] = [{ op: 'get-nodegroup', name: 'edge-a' }, { op: 'list-nodegroups' }];
    const paths = [nodegroupRequests.get('edge-a').path, nodegroupRequests.list().path];
    for (const [i, step] of reads.entries()) {
      const out = await dryRun(shellWords(describeStep(step)));
      assert.ok(out.includes(`GET ${HOST}${paths[i]}`), out);
    }
  });
});
