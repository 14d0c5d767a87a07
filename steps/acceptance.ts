/** Steps of the acceptance profile: the nodegroup API route by route, and the proof of cleanup. */
import { Then } from '@cucumber/cucumber';
import { checkNothingLeft, everyRoute } from '../src/runbook/acceptance';
import { VerifyError } from '../src/runbook/errors';
import { processState } from '../support/run-state';
import type { RunbookWorld } from '../support/world';

Then(
  'every route of the nodegroup API answers for node {string}, namespace {string} and workspace {string}',
  async function (this: RunbookWorld, node: string, namespace: string, workspace: string) {
    const results = await everyRoute(this.flow, this.newName('routes'), {
      node: this.expand(node),
      namespace: this.name(namespace),
      workspace: this.name(workspace),
    });
    this.log(results.map((r) => `${r.ok ? 'PASS' : 'FAIL'} ${r.route}: ${r.detail}`).join('\n'));
    const failed = results.filter((r) => !r.ok);
    if (failed.length)
      throw new VerifyError(
        `routes that did not answer: ${failed.map((r) => `${r.route}: ${r.detail}`).join('; ')}`,
      );
  },
);

Then('nothing the acceptance created is left', async function (this: RunbookWorld) {
  const proven = await checkNothingLeft(this.ctx, this.flow.scenario, processState().baseline);
  this.log(proven.join('\n') || 'nothing was created');
});
