/** Steps that run the guide's kubectl checks for real; their output is kept as evidence. */
import { strict as assert } from 'node:assert';
import { Then, When } from '@cucumber/cucumber';
import type { BindingKind } from '../src/binding-kinds';
import { NODE_GROUP_LABEL } from '../src/constants';
import { resourceRef } from '../src/kube/resources';
import { kubectlWords } from '../src/runbook';
import type { RunbookWorld } from '../support/world';

function output(world: RunbookWorld) {
  assert.ok(world.kubectlResult, 'no kubectl command ran before this check');
  return world.kubectlResult;
}

When('I run kubectl {string}', async function (this: RunbookWorld, command: string) {
  this.kubectlResult = await this.flow.kubectl(kubectlWords(this.expand(command)));
});

Then('kubectl succeeds', function (this: RunbookWorld) {
  const result = output(this);
  assert.equal(result.exitCode, 0, `kubectl exited with ${result.exitCode}: ${result.stderr.trim()}`);
});

Then('the kubectl output includes {string}', function (this: RunbookWorld, text: string) {
  const wanted = this.name(text);
  const { stdout } = output(this);
  assert.ok(stdout.includes(wanted), `kubectl output does not include "${wanted}":\n${stdout}`);
});

Then(
  /^kubectl (lists|does not list) (node|namespace) "([^"]+)" in nodegroup "([^"]+)"$/,
  async function (this: RunbookWorld, lists: string, kind: BindingKind, target: string, group: string) {
    const t = this.name(target);
    const args = ['get', resourceRef(kind).plural, '-l', `${NODE_GROUP_LABEL}=${this.name(group)}`];
    const result = await this.flow.kubectl(args);
    assert.equal(result.exitCode, 0, `kubectl failed: ${result.stderr.trim()}`);
    const names = result.stdout
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[0]);
    assert.equal(
      names.includes(t),
      lists === 'lists',
      `kubectl ${args.join(' ')} shows: ${names.join(', ') || 'nothing'}`,
    );
  },
);
