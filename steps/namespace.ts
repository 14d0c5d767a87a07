/** Steps about what a namespace binding leaves on the namespace and on its nodegroup. */
import { Then } from '@cucumber/cucumber';
import {
  IPPOOL_PREFIX,
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
} from '../src/constants';
import { verifyMetadata } from '../src/runbook';
import type { RunbookWorld } from '../support/world';

Then(
  /^nodegroup "([^"]+)" (lists|no longer lists) namespace "([^"]+)"$/,
  async function (this: RunbookWorld, group: string, lists: string, namespace: string) {
    const ns = this.name(namespace);
    await verifyMetadata(
      this.flow,
      { resource: 'nodegroup', name: this.name(group) },
      { field: 'label', key: `${NAMESPACE_LABEL_PREFIX}${ns}`, value: lists === 'lists' ? ns : undefined },
    );
  },
);

Then(
  'namespace {string} schedules onto nodegroup {string}',
  async function (this: RunbookWorld, namespace: string, group: string) {
    await verifyMetadata(
      this.flow,
      { resource: 'namespace', name: this.name(namespace) },
      {
        field: 'annotation',
        key: NODE_SELECTOR_ANNOTATION,
        value: `${NODE_GROUP_LABEL}=${this.name(group)}`,
      },
    );
  },
);

Then(
  /^namespace "([^"]+)" (uses|no longer uses) the IPPool of nodegroup "([^"]+)"$/,
  async function (this: RunbookWorld, namespace: string, uses: string, group: string) {
    const [ns, g] = [this.name(namespace), this.name(group)];
    const key = `${IPPOOL_PREFIX}${g}`;
    const wanted = uses === 'uses';
    await this.flow.until(
      {
        resource: 'namespace',
        name: ns,
        description: `namespace ${ns} ${wanted ? 'with' : 'without'} annotation ${key}`,
      },
      (o) => (o?.metadata.annotations?.[key] !== undefined) === wanted,
    );
  },
);

Then(
  'namespace {string} has no scheduling annotation',
  async function (this: RunbookWorld, namespace: string) {
    await verifyMetadata(
      this.flow,
      { resource: 'namespace', name: this.name(namespace) },
      { field: 'annotation', key: NODE_SELECTOR_ANNOTATION, value: undefined },
    );
  },
);
