/**
 * Steps of the troubleshooting runbooks: stage a symptom (sandbox only), diagnose, check the
 * finding, run the repair it carries, and see the target healthy again. The logic is in
 * src/runbook/troubleshooting; the diagnosis and finding are the World's scenario state.
 */
import { strict as assert } from 'node:assert';
import { Given, Then, When } from '@cucumber/cucumber';
import { type BindingKind, bindingKindPattern } from '../src/binding-kinds';
import type { ConfigSection } from '../src/constants';
import type { Diagnosis, Finding, Target } from '../src/diagnose';
import type { ResourceName } from '../src/kube/resources';
import {
  diagnoseTarget,
  disableConfigSection,
  endFault,
  expectCheckPasses,
  expectFinding,
  expectHealthy,
  findingsOf,
  injectFault,
  removeByHand,
  repairWhereAllowed,
  requestBinding,
  runRepair,
  verifyControllerReady,
  verifyIppoolSync,
  verifyPending,
} from '../src/runbook';
import type { RunbookWorld } from '../support/world';

function lastFinding(world: RunbookWorld): Finding {
  assert.ok(world.finding, 'no finding to look at: a "Then the "CHECK" check fails ..." step comes first');
  return world.finding;
}

function lastDiagnosis(world: RunbookWorld): Diagnosis {
  assert.ok(world.diagnosis, 'no diagnosis yet: "When I diagnose nodegroup ..." comes first');
  return world.diagnosis;
}

/**
 * The runbook's words with the scenario's unique names put in, so name the groups of these
 * runbooks with words that do not occur in the expected texts.
 */
const withNames = (world: RunbookWorld, text: string) => world.names.inText(world.expand(text));

function target(world: RunbookWorld, group: string, kind?: string, name?: string): Target {
  return { nodegroup: world.name(group), ...(kind && name ? { [kind]: world.name(name) } : {}) };
}

// --- staging a symptom (sandbox only; the @sandbox-only hook skips these scenarios elsewhere) ---

Given('the nodegroup controller hangs', async function (this: RunbookWorld) {
  await injectFault(this.flow, 'controller-paused');
});

Given('updates of IPPools fail', async function (this: RunbookWorld) {
  await injectFault(this.flow, 'ippool-sync');
});

Given(
  'the controller never removes the finalizer of nodegroup {string}',
  async function (this: RunbookWorld, group: string) {
    await injectFault(this.flow, 'stuck-finalizer', { nodegroup: this.name(group) });
  },
);

Given(
  /^someone removes the (label|annotation) "([^"]+)" from (node|namespace|nodegroup) "([^"]+)" by hand$/,
  async function (
    this: RunbookWorld,
    what: 'label' | 'annotation',
    key: string,
    kind: ResourceName,
    name: string,
  ) {
    await removeByHand(this.flow, what, kind, this.name(name), key);
  },
);

Given(
  'someone disables {section} in the nodegroup config by hand',
  async function (this: RunbookWorld, section: ConfigSection) {
    await disableConfigSection(this.flow, section);
  },
);

When(
  'I ask to bind {kind} {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, name: string, group: string) {
    await requestBinding(this.flow, 'bind', kind, this.name(group), this.name(name));
  },
);

When('IPPool updates work again', async function (this: RunbookWorld) {
  await endFault(this.flow, 'ippool-sync');
});

// --- symptoms ---

Then(
  '{kind} {string} waits to join nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, name: string, group: string) {
    await verifyPending(this.flow, kind, this.name(name), this.name(group));
  },
);

Then(
  /^the nodegroup controller is (not )?Ready$/,
  async function (this: RunbookWorld, not: string | undefined) {
    await verifyControllerReady(this.flow, !not);
  },
);

Then(
  /^nodegroup "([^"]+)" reports its IPPool (in|out of) sync$/,
  async function (this: RunbookWorld, group: string, sync: string) {
    await verifyIppoolSync(this.flow, this.name(group), sync === 'in');
  },
);

// --- the diagnosis and its finding ---

When(
  new RegExp(`^I diagnose nodegroup "([^"]+)"(?: for (${bindingKindPattern()}) "([^"]+)")?$`),
  async function (this: RunbookWorld, group: string, kind?: string, name?: string) {
    // The findings table reaches the report through the evidence (diagnoseTarget records it).
    this.diagnosis = await diagnoseTarget(this.flow, target(this, group, kind, name));
  },
);

Then(
  /^the "([^"]+)" check (fails|warns) with "([^"]*)"$/,
  function (this: RunbookWorld, check: string, outcome: string, text: string) {
    this.finding = expectFinding(
      lastDiagnosis(this),
      check,
      outcome === 'fails' ? 'fail' : 'warn',
      withNames(this, text),
    );
  },
);

Then(
  /^(?:its likely cause is that|it names the request still waiting:) "(.+)"$/,
  function (this: RunbookWorld, text: string) {
    const { likelyCause } = lastFinding(this);
    const wanted = withNames(this, text);
    assert.ok(
      likelyCause?.includes(wanted),
      `the likely cause is "${likelyCause}", which does not say "${wanted}"`,
    );
  },
);

Then(
  /^it recommends (running|a command starting with) "(.+)"$/,
  function (this: RunbookWorld, how: string, text: string) {
    const { nextCommand } = lastFinding(this);
    const wanted = withNames(this, text);
    const ok = how === 'running' ? nextCommand === wanted : nextCommand?.startsWith(wanted);
    assert.ok(
      ok,
      `the finding recommends \`${nextCommand}\`, expected ${how === 'running' ? '' : 'a command starting with '}\`${wanted}\``,
    );
  },
);

When('I run the recommended command', async function (this: RunbookWorld) {
  const { repair } = lastFinding(this);
  assert.ok(repair?.length, 'the finding recommends no command');
  const outputs = await runRepair(this.flow, repair);
  for (const text of outputs) this.attach(this.scrub(text), 'text/plain');
});

Then(
  new RegExp(
    `^the diagnosis of nodegroup "([^"]+)"(?: for (${bindingKindPattern()}) "([^"]+)")? is healthy$`,
  ),
  async function (this: RunbookWorld, group: string, kind?: string, name?: string) {
    expectHealthy(await diagnoseTarget(this.flow, target(this, group, kind, name)));
  },
);

// --- diagnose-only: what runs on any target ---

When(
  'I run what the {string} check recommends, where repairs are allowed',
  async function (this: RunbookWorld, check: string) {
    const shown = await repairWhereAllowed(this.flow, findingsOf(lastDiagnosis(this), check));
    for (const text of shown) this.log(this.scrub(text));
  },
);

Then(
  'the {string} check of nodegroup {string} passes',
  async function (this: RunbookWorld, check: string, group: string) {
    expectCheckPasses(await diagnoseTarget(this.flow, target(this, group)), check);
  },
);
