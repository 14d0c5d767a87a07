/**
 * `nodegroup-api diagnose` takes one flag per binding kind of the table: a kind defined with
 * defineBindingKind shows in its help and its flag reaches the diagnosis' target (checked names).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../cli-helpers';
import { withRackKind } from '../fake-binding-kind';

describe('diagnose flags from the binding kinds table', () => {
  withRackKind();

  it('lists every kind of the table, the defined one too', async () => {
    const run = await runCli(['diagnose', '--help'], {});
    assert.equal(run.code, 0, run.stderr);
    for (const flag of ['--node <name>', '--namespace <name>', '--workspace <name>', '--rack <name>'])
      assert.ok(run.stdout.includes(flag), `${flag} missing from:\n${run.stdout}`);
    assert.match(run.stdout, /a rack expected in the group/);
    assert.match(run.stdout, /\[--rack <name>\]/);
  });

  it("the defined kind's flag reaches the target: a bad name is refused as that kind's", async () => {
    const run = await runCli(['diagnose', 'edge-a', '--rack', 'Not_A_Name', '--host', 'http://127.0.0.1:9'], {
      KUBESPHERE_TOKEN: 't',
    });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /rack/);
    assert.match(run.stderr, /Not_A_Name/);
    assert.doesNotMatch(run.stderr, /ECONNREFUSED/);
  });
});
