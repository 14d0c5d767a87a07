/** Steps about workloads: disposable namespaces and Deployments, where their pods run, admission. */
import { Given, Then, When } from '@cucumber/cucumber';
import { NODE_GROUP_LABEL } from '../src/constants';
import {
  checkPendingNoNodeMatches,
  checkPodsOnGroup,
  createDeployment,
  createNamespace,
  createPod,
  createWorkspace,
  waitForDeploymentReady,
} from '../src/runbook/acceptance';
import type { RunbookWorld } from '../support/world';

/** The image of the acceptance's pods (var ACCEPTANCE_IMAGE): small, and present on most clusters. */
const image = (world: RunbookWorld) => world.variable('ACCEPTANCE_IMAGE') ?? 'registry.k8s.io/pause:3.10';

Given('a new namespace {string}', async function (this: RunbookWorld, name: string) {
  await createNamespace(this.flow, this.newName(name));
});

Given('a new workspace {string}', async function (this: RunbookWorld, name: string) {
  await createWorkspace(this.flow, this.newName(name), this.ctx.target.credentials?.username ?? 'admin');
});

When(
  /^I create deployment "([^"]+)" in namespace "([^"]+)" with (\d+) replicas?$/,
  async function (this: RunbookWorld, name: string, namespace: string, replicas: string) {
    const real = this.newName(name);
    await createDeployment(this.flow, real, this.name(namespace), Number(replicas), image(this));
    this.deploymentReplicas.set(real, Number(replicas));
  },
);

Then(
  'deployment {string} in namespace {string} is Ready',
  async function (this: RunbookWorld, name: string, namespace: string) {
    const real = this.name(name);
    const ns = this.name(namespace);
    const d = await this.flow.get('deployment', real, ns);
    const replicas =
      this.deploymentReplicas.get(real) ?? (d?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 1;
    const pods = await waitForDeploymentReady(this.flow, real, ns, replicas);
    this.flow.snapshot(
      'after',
      'pods',
      real,
      pods.map((p) => ({ name: p.metadata.name, spec: p['spec'], status: p['status'] })),
    );
  },
);

Then(
  'every pod of deployment {string} in namespace {string} runs on a node of nodegroup {string}',
  async function (this: RunbookWorld, name: string, namespace: string, group: string) {
    const placed = await checkPodsOnGroup(this.flow, this.name(name), this.name(namespace), this.name(group));
    this.log(placed.map((p) => `${p.pod} on ${p.node}`).join('\n'));
  },
);

Then(
  'every pod of deployment {string} in namespace {string} is Pending because no node matches',
  async function (this: RunbookWorld, name: string, namespace: string) {
    const pending = await checkPendingNoNodeMatches(this.flow, this.name(name), this.name(namespace));
    this.log(pending.map((p) => `${p.pod}: ${p.message}`).join('\n'));
  },
);

When(
  'I try to create pod {string} in namespace {string} on nodegroup {string}',
  async function (this: RunbookWorld, name: string, namespace: string, group: string) {
    await this.attempt(() =>
      createPod(
        this.flow,
        this.newName(name),
        this.name(namespace),
        { [NODE_GROUP_LABEL]: this.name(group) },
        image(this),
      ),
    );
  },
);
