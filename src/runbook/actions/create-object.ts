/**
 * `create-object`: a disposable object the run makes through the Kubernetes API (KubeSphere's
 * ks-apiserver proxies /api and /apis, so the run's KAPI client reaches it), and its undo: delete
 * it and wait until it is gone (finalizers and the namespace controller included). The ledger
 * entry is on disk before the create is sent (src/runbook/flow/flow.ts).
 */
import type { Action } from '../../actions/types';
import type { KapiClient, KapiRequest } from '../../kapi/client';
import { HttpError } from '../../kapi/errors';
import { collectionPath, type ResourceName, resourceRef } from '../../kube/resources';
import type { Verifier } from '../flow/verifier';

export type CreateObjectAction = Extract<Action, { op: 'create-object' }>;

export const objectPath = (resource: ResourceName, name: string, namespace?: string): string =>
  `${collectionPath(resourceRef(resource), namespace)}/${encodeURIComponent(name)}`;

/** The action for `body` (its metadata names it; apiVersion and kind from the resource). */
export function createObjectAction(
  resource: ResourceName,
  body: Record<string, unknown>,
): CreateObjectAction {
  const metadata = (body['metadata'] ?? {}) as { name?: unknown; namespace?: unknown };
  if (typeof metadata.name !== 'string' || metadata.name === '')
    throw new TypeError(`a ${resource} to create needs metadata.name`);
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const ref = resourceRef(resource);
  if (ref.namespaced && !namespace) throw new TypeError(`a ${resource} to create needs metadata.namespace`);
  return {
    op: 'create-object',
    resource,
    name: metadata.name,
    ...(namespace ? { namespace } : {}),
    body: { apiVersion: ref.apiVersion, kind: ref.kind, ...body },
  };
}

/** The POST of the create. */
export function createRequest(action: CreateObjectAction): KapiRequest {
  return {
    method: 'POST',
    path: collectionPath(resourceRef(action.resource), action.namespace),
    body: action.body,
  };
}

/** Undo of `create-object`: delete it (already gone is fine) and wait until it is gone. */
export async function removeCreated(
  tools: { kapi: KapiClient; verifier: Verifier },
  action: Pick<CreateObjectAction, 'resource' | 'name' | 'namespace'>,
): Promise<string> {
  const { resource, name, namespace } = action;
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
