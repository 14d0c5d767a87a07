/** Owner references, as the workload controllers and the garbage collector read and write them. */
import type { KubeObject, OwnerReference } from '../store/object';

export const controllerOf = (obj: KubeObject): OwnerReference | undefined =>
  (obj.metadata.ownerReferences ?? []).find((r) => r.controller);

export const isOwnedBy = (obj: KubeObject, owner: { metadata: { uid?: string } }): boolean =>
  (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);

export function ownerReference(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true };
}

/** What `owner` owns among `resource` in its namespace. */
export function ownedBy(
  list: (resource: string, namespace?: string) => KubeObject[],
  resource: string,
  owner: KubeObject,
): KubeObject[] {
  return list(resource, owner.metadata.namespace).filter((o) => isOwnedBy(o, owner));
}
