/**
 * The PodNodeSelector admission plugin (kubernetes plugin/pkg/admission/podnodeselector), on pod
 * creation only, as the plugin registers itself: the namespace's
 * `scheduler.alpha.kubernetes.io/node-selector` annotation is merged into the pod's nodeSelector;
 * a pod selector that gives one of the namespace's keys another value is refused with the
 * plugin's Forbidden message. No cluster-default selector and no per-namespace whitelist (the
 * plugin's optional config file): a namespace without the annotation adds nothing.
 * The same function admits pods created through the API and by the ReplicaSet controller.
 */
import { NODE_SELECTOR_ANNOTATION } from '../../constants';
import type { KubeObject } from '../store/object';
import { StatusError } from '../store/status';
import type { ObjectStore } from '../store/store';
import { conflicts, type LabelMap, mergeLabels, selectorMap } from './node-selector';

export const CONFLICT_MESSAGE = 'pod node label selector conflicts with its namespace node label selector';

/** The namespace's node selector (empty without the annotation); an unreadable one is a 500 naming it. */
export function namespaceNodeSelector(namespace: KubeObject): LabelMap {
  const text = namespace.metadata.annotations?.[NODE_SELECTOR_ANNOTATION];
  if (text === undefined) return {};
  try {
    return selectorMap(text);
  } catch (err) {
    throw new StatusError(
      'InternalError',
      `the ${NODE_SELECTOR_ANNOTATION} annotation of namespace ${namespace.metadata.name} is not a node selector: ${(err as Error).message}`,
    );
  }
}

/**
 * The pod as admitted into `namespace`: its nodeSelector merged with the namespace's, or the
 * plugin's 403. The pod is edited in place and returned.
 */
export function admitPod(namespace: KubeObject, pod: KubeObject): KubeObject {
  const fromNamespace = namespaceNodeSelector(namespace);
  const spec = (pod.spec ?? {}) as { nodeSelector?: LabelMap };
  const own = spec.nodeSelector ?? {};
  if (conflicts(fromNamespace, own)) {
    // Kubernetes' errors.NewForbidden(pods, pod.Name, ...): a generated name is not known yet.
    const name = pod.metadata.name || pod.metadata.generateName || '';
    throw new StatusError('Forbidden', `pods "${name}" is forbidden: ${CONFLICT_MESSAGE}`, {
      name,
      kind: 'pods',
    });
  }
  const merged = mergeLabels(fromNamespace, own);
  if (Object.keys(merged).length > 0) pod.spec = { ...spec, nodeSelector: merged };
  return pod;
}

/** The admission hook of the REST layer: pods are admitted against their namespace; other kinds pass. */
export function workloadAdmission(store: ObjectStore): (resource: string, obj: KubeObject) => void {
  return (resource, obj) => {
    if (resource !== 'pods') return;
    const ns = obj.metadata.namespace ?? 'default';
    if (!store.has('namespaces', undefined, ns)) return; // the store answers the NotFound
    admitPod(store.get('namespaces', undefined, ns), obj);
  };
}
