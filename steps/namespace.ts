/** Steps about what a namespace binding leaves on the namespace and on its nodegroup. */
import { Then } from '@cucumber/cucumber';
import {
  IPPOOL_PREFIX,
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
} from '../src/constants';
import type { RunbookWorld } from '../support/world';

Then(
  /^nodegroup "([^"]+)" (lists|no longer lists) namespace "([^"]+)"$/,
  async function (this: RunbookWorld, group: string, lists: string, namespace: string) {
    const [g, ns] = [this.name(group), this.name(namespace)];
    const key = `${NAMESPACE_LABEL_PREFIX}${ns}`;
    const wanted = lists === 'lists';
    await this.op.ctx.verifier.until(
      {
        resource: 'nodegroup',
        name: g,
        description: `nodegroup ${g} ${wanted ? 'with' : 'without'} label ${key}`,
      },
      (o) => (o?.metadata.labels?.[key] === ns) === wanted,
    );
  },
);

Then(
  'namespace {string} schedules onto nodegroup {string}',
  async function (this: RunbookWorld, namespace: string, group: string) {
    const [ns, g] = [this.name(namespace), this.name(group)];
    const value = `${NODE_GROUP_LABEL}=${g}`;
    await this.op.ctx.verifier.until(
      {
        resource: 'namespace',
        name: ns,
        description: `namespace ${ns} with annotation ${NODE_SELECTOR_ANNOTATION}=${value}`,
      },
      (o) => o?.metadata.annotations?.[NODE_SELECTOR_ANNOTATION] === value,
    );
  },
);

Then(
  /^namespace "([^"]+)" (uses|no longer uses) the IPPool of nodegroup "([^"]+)"$/,
  async function (this: RunbookWorld, namespace: string, uses: string, group: string) {
    const [ns, g] = [this.name(namespace), this.name(group)];
    const key = `${IPPOOL_PREFIX}${g}`;
    const wanted = uses === 'uses';
    await this.op.ctx.verifier.until(
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
    const ns = this.name(namespace);
    await this.op.ctx.verifier.until(
      {
        resource: 'namespace',
        name: ns,
        description: `namespace ${ns} without annotation ${NODE_SELECTOR_ANNOTATION}`,
      },
      (o) => o !== undefined && o.metadata.annotations?.[NODE_SELECTOR_ANNOTATION] === undefined,
    );
  },
);
