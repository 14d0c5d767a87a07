/**
 * The Deployment controller's share the sandbox models: a rollout restart (`kubectl rollout
 * restart`, the diagnosis' repair for a hung controller) replaces the pods, so it is offered to
 * the fault registry (a hung process ends), and the rollout of the new generation is observed at
 * once (`kubectl rollout status` returns).
 */
import type { Faults } from '../faults/registry';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

const restartedAt = (d: KubeObject | undefined) =>
  (d?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template
    ?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];

/** Watch every Deployment's restart annotation; returns a function that stops watching. */
export function watchRollouts(store: ObjectStore, faults?: Faults): () => void {
  const last = new Map<string, string | undefined>();
  for (const d of store.list('deployments').items)
    last.set(`${d.metadata.namespace}/${d.metadata.name}`, restartedAt(d));
  return store.watch('deployments', {}, (e) => {
    const namespace = e.object.metadata.namespace!;
    const name = e.object.metadata.name!;
    const key = `${namespace}/${name}`;
    const at = restartedAt(e.object);
    if (e.type === 'DELETED') {
      last.delete(key);
      return;
    }
    const seen = last.has(key);
    if (seen && at === last.get(key)) return;
    last.set(key, at);
    if (!seen && at === undefined) return; // a new Deployment, not a restart
    // Not inside the store's notification: these write the pods and the Deployment.
    setImmediate(() => {
      faults?.observe({ action: 'rollout-restart', namespace, name });
      if (!store.has('deployments', namespace, name)) return;
      store.mutate('deployments', namespace, name, (d) => {
        if ((d.status as { observedGeneration?: number })?.observedGeneration === d.metadata.generation)
          return false;
        d.status = { ...(d.status as object), observedGeneration: d.metadata.generation };
      });
    });
  });
}
