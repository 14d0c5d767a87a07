/** Read-modify-write helper shared by the controller's reconcilers. */
import type { KubeObject } from './object';
import type { ObjectStore } from './store';

/** store.mutate for callbacks that return nothing (store.ts types the callback as boolean | undefined). */
export function edit(
  store: ObjectStore,
  resource: string,
  namespace: string | undefined,
  name: string,
  change: (obj: KubeObject) => unknown,
): KubeObject {
  return store.mutate(resource, namespace, name, (obj) => (change(obj) === false ? false : undefined));
}
