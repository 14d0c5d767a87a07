/** Steps about workloads: disposable namespaces and Deployments, where their pods run, admission. */
import { Given, Then, When } from '@cucumber/cucumber';
import { NODE_GROUP_LABEL } from '../src/constants';
import {
  checkPendingNoNodeMatches,
  checkPodsOnGroup,
  createDeployment,
  createNamespace,
  createObject,
  createPod,
  waitForDeploymentReady,
} from '../src/runbook/acceptance';
import type { RunbookWorld } from '../support/world';

/** The image of the acceptance's pods (var ACCEPTANCE_IMAGE): small, and present on most clusters. */
const image = (world: RunbookWorld) => world.variable('ACCEPTANCE_IMAGE') ?? 'registry.k8s.io/pause:3.10';
const replicasOf = new WeakMap<RunbookWorld, Map<string, number>>();

Given('a new namespace {string}', async function (this: RunbookWorld, name: string) {
  await createNamespace(this.op, this.newName(name));
});

Given('a new workspace {string}', async function (this: RunbookWorld, name: string) {
  const real = this.newName(name);
  await createObject(
    this.op,
    'workspace',
    { metadata: { name: real }, spec: { manager: this.ctx.target.credentials?.username ?? 'admin' } },
    `kubectl create -f workspace-${real}.yaml`,
  );
});

When(
  /^I create deployment "([^"]+)" in namespace "([^"]+)" with (\d+) replicas?$/,
  async function (this: RunbookWorld, name: string, namespace: string, replicas: string) {
    const real = this.newName(name);
    await createDeployment(this.op, real, this.name(namespace), Number(replicas), image(this));
    const wanted = replicasOf.get(this) ?? new Map<string, number>();
    wanted.set(real, Number(replicas));
    replicasOf.set(this, wanted);
  },
);

Then(
  'deployment {string} in namespace {string} is Ready',
  async function (this: RunbookWorld, name: string, namespace: string) {
    const real = this.name(name);
    const wanted = replicasOf.get(this)?.get(real);
    const d = await this.ctx.verifier.get('deployment', real, this.name(namespace));
    const replicas = wanted ?? (d?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 1;
    const pods = await waitForDeploymentReady(this.ctx, real, this.name(namespace), replicas);
    this.op.snapshot(
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
    const placed = await checkPodsOnGroup(this.ctx, this.name(name), this.name(namespace), this.name(group));
    this.log(placed.map((p) => `${p.pod} on ${p.node}`).join('\n'));
  },
);

Then(
  'every pod of deployment {string} in namespace {string} is Pending because no node matches',
  async function (this: RunbookWorld, name: string, namespace: string) {
    const pending = await checkPendingNoNodeMatches(this.ctx, this.name(name), this.name(namespace));
    this.log(pending.map((p) => `${p.pod}: ${p.message}`).join('\n'));
  },
);

When(
  'I try to create pod {string} in namespace {string} on nodegroup {string}',
  async function (this: RunbookWorld, name: string, namespace: string, group: string) {
    await this.attempt(() =>
      createPod(
        this.op,
        this.newName(name),
        this.name(namespace),
        { [NODE_GROUP_LABEL]: this.name(group) },
        image(this),
      ),
    );
  },
);
