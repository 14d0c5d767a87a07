/**
 * The nodegroup config in the sandbox's store, read as the controller reads it (the parsing is
 * shared with the diagnosis: src/nodegroup-config.ts).
 */
import { NODEGROUP_CONFIG_KEY, NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE } from '../../constants';
import { DISABLED_CONFIG, type NodegroupConfig, parseNodegroupConfig } from '../../nodegroup-config';
import type { ObjectStore } from './store';

/** The config in the store now: `{config}`, or `{error}` when the ConfigMap holds something unusable. */
export function readNodegroupConfig(store: ObjectStore): { config: NodegroupConfig } | { error: string } {
  if (!store.has('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP))
    return { config: { ...DISABLED_CONFIG } };
  const cm = store.get('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP);
  const text = (cm.data as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
  if (text === undefined) return { config: { ...DISABLED_CONFIG } };
  const parsed = parseNodegroupConfig(text);
  return parsed.error === undefined ? { config: parsed.sections } : { error: parsed.error };
}
