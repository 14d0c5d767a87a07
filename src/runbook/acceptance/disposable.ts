/**
 * Disposable Kubernetes objects the acceptance creates (a namespace, a workspace, a Deployment, a
 * pod): each is a `create-object` action done through the Flow, so it is in the ledger before it
 * is sent and the scenario's cleanup (and `nodegroup-runbooks revert`) deletes it and waits until
 * it is gone. Nothing here changes an object the run did not create.
 */
import type { KubeObject } from '../../kube/reader';
import type { ResourceName } from '../../kube/resources';
import { createObjectAction } from '../actions/create-object';
import type { Flow } from '../flow/flow';

/** Create the object through the Flow (ledgered first). */
export const createObject = (flow: Flow, resource: ResourceName, body: Record<string, unknown>) =>
  flow.act<KubeObject>(createObjectAction(resource, body));

export const createNamespace = (flow: Flow, name: string) =>
  createObject(flow, 'namespace', { metadata: { name } });

/** A workspace managed by `manager` (the run's own user). */
export const createWorkspace = (flow: Flow, name: string, manager: string) =>
  createObject(flow, 'workspace', { metadata: { name }, spec: { manager } });

/** A Deployment as `kubectl create deployment NAME --image IMAGE --replicas N` writes it. */
export function deploymentObject(name: string, namespace: string, replicas: number, image: string) {
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
  flow: Flow,
  name: string,
  namespace: string,
  replicas: number,
  image: string,
) => createObject(flow, 'deployment', deploymentObject(name, namespace, replicas, image));

/** A bare pod asking for nodes by label (e.g. another group's), as `kubectl run --overrides` would. */
export const createPod = (
  flow: Flow,
  name: string,
  namespace: string,
  nodeSelector: Record<string, string>,
  image: string,
) =>
  createObject(flow, 'pod', {
    metadata: { name, namespace },
    spec: { nodeSelector, containers: [{ name, image }] },
  });
