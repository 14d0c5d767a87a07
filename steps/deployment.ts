/** Steps about the nodegroup deployment: its config sections, Deployments and pods. */
import { Then } from '@cucumber/cucumber';
import type { ConfigSection } from '../src/constants';
import {
  checkConfigSectionEnabled,
  checkDeploymentsAvailable,
  checkPodsRunningAndReady,
} from '../src/runbook';
import type { RunbookWorld } from '../support/world';

Then(
  'the nodegroup config has {section} enabled',
  async function (this: RunbookWorld, section: ConfigSection) {
    await checkConfigSectionEnabled(this.flow, section);
  },
);

Then('every nodegroup deployment is available', async function (this: RunbookWorld) {
  await checkDeploymentsAvailable(this.flow);
});

Then('every nodegroup pod is Running and Ready', async function (this: RunbookWorld) {
  await checkPodsRunningAndReady(this.flow);
});
