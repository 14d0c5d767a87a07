/**
 * Chainsaw-style assertions on any object the API serves: `Then the node "X" matches:` with a
 * YAML doc string compared as a partial match (maps by key, lists element by element), and
 * `Then the <kind> "X" does not match:`. Namespaced kinds: `the pod "ns/name"` or
 * `the pod "name" in namespace "ns"`. Values in the document go through the run's names, so
 * `apps.edgewize.io/nodegroup: site` means the scenario's group "site".
 */
import { Then } from '@cucumber/cucumber';
import { ObjectAsserter, type ObjectTarget, parseExpected, renameValues } from '../src/match/assert-object';
import type { RunContext } from '../src/runbook';
import type { RunbookWorld } from '../support/world';

const asserters = new WeakMap<RunContext, ObjectAsserter>();

function asserter(world: RunbookWorld): ObjectAsserter {
  const { ctx } = world;
  let a = asserters.get(ctx);
  if (!a) {
    a = new ObjectAsserter(ctx.verifier.kube, ctx.record, ctx.config.waitTimeoutMs);
    asserters.set(ctx, a);
  }
  return a;
}

function target(world: RunbookWorld, kind: string, name: string, namespace: string | null): ObjectTarget {
  const real = world
    .expand(name)
    .split('/')
    .map((part) => world.name(part))
    .join('/');
  return { kind, name: real, ...(namespace != null ? { namespace: world.name(namespace) } : {}) };
}

function expected(world: RunbookWorld, doc: string): Record<string, unknown> {
  return renameValues(parseExpected(world.expand(doc)), (v) => world.name(v)) as Record<string, unknown>;
}

async function check(world: RunbookWorld, negate: boolean, t: ObjectTarget, doc: string): Promise<void> {
  const want = expected(world, doc);
  const seen = negate ? await asserter(world).doesNotMatch(t, want) : await asserter(world).matches(t, want);
  world.flow.snapshot('after', t.kind, t.name, seen);
}

Then(
  /^the ([a-z][a-z0-9.]*) "([^"]+)"(?: in namespace "([^"]+)")? (matches|does not match):$/,
  async function (
    this: RunbookWorld,
    kind: string,
    name: string,
    namespace: string | null,
    verb: string,
    doc: string,
  ) {
    await check(this, verb !== 'matches', target(this, kind, name, namespace), doc);
  },
);
