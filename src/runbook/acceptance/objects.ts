/**
 * Disposable Kubernetes objects the acceptance creates (a namespace, a workspace, a Deployment, a
 * pod): each is written to the ledger as `create-object` before it is sent through the API, so
 * the scenario's cleanup (and `npm run revert`) deletes it and waits until it is gone. Nothing
 * here changes an object the run did not create.
 */
import type { KapiClient } from '../../kapi/client';
import { HttpError } from '../../kapi/errors';
import type { KubeObject } from '../../kube/reader';
import { collectionPath, RESOURCES, type ResourceName } from '../../kube/resources';
import type { Change } from '../ledger';
import type { OperatorBase } from '../operator';
import type { Verifier } from '../verify';

export type CreateObject = Extract<Change, { op: 'create-object' }>;

const where = (namespace?: string) => (namespace ? ` -n ${namespace}` : '');
export const objectPath = (resource: ResourceName, name: string, namespace?: string) =>
  `${collectionPath(RESOURCES[resource], namespace)}/${encodeURIComponent(name)}`;

/** POST the object (ledgered first); `command` is what an operator would type for it. */
export async function createObject(
  op: OperatorBase,
  resource: ResourceName,
  object: KubeObject,
  command: string,
): Promise<KubeObject> {
  const { name, namespace } = object.metadata as { name: string; namespace?: string };
  const ref = RESOURCES[resource];
  const body = { apiVersion: ref.apiVersion, kind: ref.kind, ...object };
  return op.change<KubeObject>(
    { op: 'create-object', resource, name, ...(namespace ? { namespace } : {}) },
    { method: 'POST', path: collectionPath(ref, namespace), body },
    command,
  );
}

export const createNamespace = (op: OperatorBase, name: string) =>
  createObject(op, 'namespace', { metadata: { name } }, `kubectl create namespace ${name}`);

export function deploymentObject(
  name: string,
  namespace: string,
  replicas: number,
  image: string,
): KubeObject {
  const labels = { app: name };
  return {
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image }] } },
    },
  };
}

export const createDeployment = (
  op: OperatorBase,
  name: string,
  namespace: string,
  replicas: number,
  image: string,
) =>
  createObject(
    op,
    'deployment',
    deploymentObject(name, namespace, replicas, image),
    `kubectl create deployment ${name} --image ${image} --replicas ${replicas}${where(namespace)}`,
  );

/** A bare pod asking for nodes by label (e.g. another group's), as `kubectl run --overrides` would. */
export const createPod = (
  op: OperatorBase,
  name: string,
  namespace: string,
  nodeSelector: Record<string, string>,
  image: string,
) =>
  createObject(
    op,
    'pod',
    { metadata: { name, namespace }, spec: { nodeSelector, containers: [{ name, image }] } },
    `kubectl run ${name} --image ${image}${where(namespace)} --overrides '${JSON.stringify({ spec: { nodeSelector } })}'`,
  );

/** Undo of `create-object`: delete it (already gone is fine) and wait until it is gone. */
export async function removeCreated(
  tools: { kapi: KapiClient; verifier: Verifier },
  change: CreateObject,
): Promise<string> {
  const { resource, name, namespace } = change;
  const ref = `${resource} ${namespace ? `${namespace}/` : ''}${name}`;
  try {
    await tools.kapi.call({ method: 'DELETE', path: objectPath(resource, name, namespace) });
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 404)) throw err;
    return `${ref} was already gone`;
  }
  await tools.verifier.until(
    { resource, name, ...(namespace ? { namespace } : {}), description: `${ref} gone` },
    (o) => o === undefined,
  );
  return `deleted ${ref}`;
}
