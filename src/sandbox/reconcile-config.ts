/**
 * The nodegroup config as the controller reads it: ConfigMap kubesphere-system/nodegroup-config,
 * key nodegroup.yaml, sections scheduling, policy, rbac, ippool, each `{enabled: bool}`.
 */
import { parse } from 'yaml';
import {
  type ConfigSection,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIG_SECTIONS,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_NAMESPACE,
} from '../constants';
import type { ObjectStore } from './store';

export type NodegroupConfig = Record<ConfigSection, boolean>;

/** Without the ConfigMap every feature is off (the chart always installs it). */
export const DISABLED_CONFIG: NodegroupConfig = {
  scheduling: false,
  policy: false,
  rbac: false,
  ippool: false,
};

/** Parse the config text; throws an Error whose message says what is wrong. */
export function parseNodegroupConfig(text: string): NodegroupConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`${NODEGROUP_CONFIG_KEY} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { ...DISABLED_CONFIG };
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${NODEGROUP_CONFIG_KEY} must be a map of sections`);
  const config = { ...DISABLED_CONFIG };
  for (const section of NODEGROUP_CONFIG_SECTIONS) {
    const value = (doc as Record<string, unknown>)[section];
    if (value === undefined || value === null) continue;
    const enabled = typeof value === 'object' ? (value as { enabled?: unknown }).enabled : undefined;
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      throw new Error(
        `section "${section}": "enabled" must be true or false, got ${JSON.stringify(enabled)}`,
      );
    }
    if (typeof value !== 'object')
      throw new Error(`section "${section}" must be a map such as {enabled: true}`);
    config[section] = enabled === true;
  }
  return config;
}

/** The config in the store now: `{config}`, or `{error}` when the ConfigMap holds something unusable. */
export function readNodegroupConfig(store: ObjectStore): { config: NodegroupConfig } | { error: string } {
  if (!store.has('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP))
    return { config: { ...DISABLED_CONFIG } };
  const cm = store.get('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP);
  const text = (cm.data as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
  if (text === undefined) return { config: { ...DISABLED_CONFIG } };
  try {
    return { config: parseNodegroupConfig(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
