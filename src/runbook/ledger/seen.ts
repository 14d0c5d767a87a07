/**
 * The before-state a ledger entry is made from: the object's resourceVersion and the fields the
 * change may write (a nodegroup's spec, labels and annotations; a binding target's labels and
 * annotations, where its group mark lives). Absent object: no resourceVersion, no fields.
 */
import type { SeenState } from './ledger';

interface Seen {
  metadata: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
}

export function seenOf(resource: string, obj: Seen | undefined, name?: string): SeenState {
  const fields: Record<string, unknown> = {};
  if (obj) {
    if (resource === 'nodegroup') fields['spec'] = obj.spec ?? {};
    fields['labels'] = obj.metadata.labels ?? {};
    fields['annotations'] = obj.metadata.annotations ?? {};
  }
  return {
    resource,
    name: obj?.metadata.name ?? name ?? '',
    ...(obj?.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    ...(obj?.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    fields,
  };
}
