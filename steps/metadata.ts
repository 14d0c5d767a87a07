/** Steps about any object's labels and annotations, and the guide's "Given nodegroup X". */
import { Given, Then } from '@cucumber/cucumber';
import { bindingKindPattern } from '../src/binding-kinds';
import type { ResourceName } from '../src/kube/resources';
import {
  getNodeGroup,
  type MetadataExpectation,
  type MetadataField,
  parseKey,
  parseKeyValue,
  TargetNotFoundError,
  verifyMetadata,
} from '../src/runbook';
import type { RunbookWorld } from '../support/world';

Given(/^nodegroup "([^"]+)"(?: exists)?$/, async function (this: RunbookWorld, name: string) {
  const real = this.name(name);
  const group = await getNodeGroup(this.flow, real);
  if (!group)
    throw new TargetNotFoundError(
      `nodegroup ${real} does not exist; list the groups with: nodegroup-api nodegroup list, ` +
        `or create it with: nodegroup-api nodegroup create --name ${real}`,
    );
});

// "has label K=V" waits for the value; "has no label K" waits for the key to be gone.
Then(
  new RegExp(`^(${bindingKindPattern()}|nodegroup) "([^"]+)" has (no )?(label|annotation) "([^"]+)"$`),
  async function (
    this: RunbookWorld,
    resource: ResourceName,
    name: string,
    absent: string | undefined,
    field: MetadataField,
    text: string,
  ) {
    const written = this.expand(text);
    let want: MetadataExpectation;
    if (absent) want = { field, key: parseKey(field, written), value: undefined };
    else {
      const { key, value } = parseKeyValue(field, written);
      want = { field, key, value: this.name(value) };
    }
    const real = this.name(name);
    const seen = await verifyMetadata(this.flow, { resource, name: real }, want);
    this.flow.snapshot('after', resource, real, seen);
  },
);
