/**
 * Steps of the troubleshooting runbooks: stage a symptom (sandbox only), diagnose, check the
 * finding, run the command it recommends, and see the target healthy again. The logic is in
 * src/runbook/troubleshoot*.ts; each World gets its Troubleshooter, diagnosis and finding here.
 */
import { strict as assert } from 'node:assert';
import { Before, Given, Then, When } from '@cucumber/cucumber';
import { bindingKindPattern } from '../src/binding-kinds';
import type { ConfigSection } from '../src/constants';
import type { Diagnosis, Finding, Target } from '../src/diagnose';
import type { BindingKind } from '../src/kapi/nodegroups';
import {
  expectCheckPasses,
  expectFinding,
  expectHealthy,
  findingsOf,
  SANDBOX_ONLY_TAG,
  sandboxOnlySkipNote,
  Troubleshooter,
} from '../src/runbook';
import type { RunbookWorld } from '../support/world';

interface TroubleState {
  troubleshooter: Troubleshooter;
  diagnosis?: Diagnosis;
  finding?: Finding;
}

const states = new WeakMap<RunbookWorld, TroubleState>();

function trouble(world: RunbookWorld): TroubleState {
  let state = states.get(world);
  if (!state) {
    state = { troubleshooter: new Troubleshooter(world.ctx, world.op.scenario) };
    states.set(world, state);
  }
  return state;
}

function lastFinding(world: RunbookWorld): Finding {
  const { finding } = trouble(world);
  assert.ok(finding, 'no finding to look at: a "Then the "CHECK" check fails ..." step comes first');
  return finding;
}

/**
 * The runbook's words with the scenario's unique names put in, so name the groups of these
 * runbooks with words that do not occur in the expected texts.
 */
const withNames = (world: RunbookWorld, text: string) => world.names.inText(world.expand(text));

function target(world: RunbookWorld, group: string, kind?: string, name?: string): Target {
  return { nodegroup: world.name(group), ...(kind && name ? { [kind]: world.name(name) } : {}) };
}

async function diagnose(world: RunbookWorld, t: Target): Promise<Diagnosis> {
  // The findings table reaches the report through the evidence (the troubleshooter records it).
  return trouble(world).troubleshooter.diagnose(t);
}

// Scenarios that stage a symptom run only against the embedded sandbox; elsewhere they are
// skipped, saying so, and the @diagnose-only scenario of the same runbook runs instead.
Before({ tags: SANDBOX_ONLY_TAG }, function (this: RunbookWorld) {
  const note = sandboxOnlySkipNote([SANDBOX_ONLY_TAG], this.op.guardTarget);
  if (!note) return undefined;
  this.ctx.record({ kind: 'note', text: note });
  this.log(note);
  return 'skipped';
});

// --- staging a symptom (sandbox only) ---

Given('the nodegroup controller hangs', async function (this: RunbookWorld) {
  await trouble(this).troubleshooter.injectFault('controller-paused');
});

Given('updates of IPPools fail', async function (this: RunbookWorld) {
  await trouble(this).troubleshooter.injectFault('ippool-sync');
});

Given(
  'the controller never removes the finalizer of nodegroup {string}',
  async function (this: RunbookWorld, group: string) {
    await trouble(this).troubleshooter.injectFault('stuck-finalizer', { nodegroup: this.name(group) });
  },
);

Given(
  /^someone removes the (label|annotation) "([^"]+)" from (node|namespace|nodegroup) "([^"]+)" by hand$/,
  async function (this: RunbookWorld, what: string, key: string, kind: string, name: string) {
    const verb = what === 'label' ? 'label' : 'annotate';
    await trouble(this).troubleshooter.editByHand([verb, kind, this.name(name), `${key}-`]);
  },
);

Given(
  'someone disables {section} in the nodegroup config by hand',
  async function (this: RunbookWorld, section: ConfigSection) {
    await trouble(this).troubleshooter.disableConfigSection(section);
  },
);

When(
  'I ask to bind {kind} {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, name: string, group: string) {
    await trouble(this).troubleshooter.requestBinding('bind', kind, this.name(group), this.name(name));
  },
);

When('IPPool updates work again', async function (this: RunbookWorld) {
  await trouble(this).troubleshooter.endFault('ippool-sync');
});

// --- symptoms ---

Then(
  '{kind} {string} waits to join nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, name: string, group: string) {
    await trouble(this).troubleshooter.verifyPending(kind, this.name(name), this.name(group));
  },
);

Then(
  /^the nodegroup controller is (not )?Ready$/,
  async function (this: RunbookWorld, not: string | undefined) {
    await trouble(this).troubleshooter.verifyControllerReady(!not);
  },
);

Then(
  /^nodegroup "([^"]+)" reports its IPPool (in|out of) sync$/,
  async function (this: RunbookWorld, group: string, sync: string) {
    await trouble(this).troubleshooter.verifyIppoolSync(this.name(group), sync === 'in');
  },
);

// --- the diagnosis and its finding ---

When(
  new RegExp(`^I diagnose nodegroup "([^"]+)"(?: for (${bindingKindPattern()}) "([^"]+)")?$`),
  async function (this: RunbookWorld, group: string, kind?: string, name?: string) {
    trouble(this).diagnosis = await diagnose(this, target(this, group, kind, name));
  },
);

Then(
  /^the "([^"]+)" check (fails|warns) with "([^"]*)"$/,
  function (this: RunbookWorld, check: string, outcome: string, text: string) {
    const state = trouble(this);
    assert.ok(state.diagnosis, 'no diagnosis yet: "When I diagnose nodegroup ..." comes first');
    state.finding = expectFinding(
      state.diagnosis,
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
  const { nextCommand } = lastFinding(this);
  assert.ok(nextCommand, 'the finding recommends no command');
  const outputs = await trouble(this).troubleshooter.runRecommended(nextCommand);
  for (const text of outputs) this.attach(this.scrub(text), 'text/plain');
});

Then(
  new RegExp(
    `^the diagnosis of nodegroup "([^"]+)"(?: for (${bindingKindPattern()}) "([^"]+)")? is healthy$`,
  ),
  async function (this: RunbookWorld, group: string, kind?: string, name?: string) {
    expectHealthy(await diagnose(this, target(this, group, kind, name)));
  },
);

// --- diagnose-only: what runs on any target ---

When(
  'I run what the {string} check recommends, where repairs are allowed',
  async function (this: RunbookWorld, check: string) {
    const state = trouble(this);
    assert.ok(state.diagnosis, 'no diagnosis yet: "When I diagnose nodegroup ..." comes first');
    const shown = await state.troubleshooter.repairWhereAllowed(findingsOf(state.diagnosis, check));
    for (const text of shown) this.log(this.scrub(text));
  },
);

Then(
  'the {string} check of nodegroup {string} passes',
  async function (this: RunbookWorld, check: string, group: string) {
    expectCheckPasses(await diagnose(this, target(this, group)), check);
  },
);
