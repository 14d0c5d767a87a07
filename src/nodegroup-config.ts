/**
 * The nodegroup config as the controller reads it: ConfigMap kubesphere-system/nodegroup-config,
 * key nodegroup.yaml, sections scheduling, policy, rbac, ippool, each `{enabled: bool}`; a section
 * that is absent or not `enabled: true` is off. The sandbox's controller and the diagnosis both
 * read it here, so the diagnosis judges the config exactly as the controller does.
 */
import { parse } from 'yaml';
import { type ConfigSection, NODEGROUP_CONFIG_KEY, NODEGROUP_CONFIG_SECTIONS } from './constants';

export type NodegroupConfig = Record<ConfigSection, boolean>;

/** Every feature off: no ConfigMap, no key, or an empty text. */
export const DISABLED_CONFIG: Readonly<NodegroupConfig> = {
  scheduling: false,
  policy: false,
  rbac: false,
  ippool: false,
};

export interface ParsedNodegroupConfig {
  /** On/off per section; with `error`, those read before the bad one. */
  sections: NodegroupConfig;
  /** The document as written (sections and anything else), when it is a map. */
  document?: Record<string, unknown>;
  /** What is wrong with the text (the controller then keeps its previous config). */
  error?: string;
}

export function parseNodegroupConfig(text: string): ParsedNodegroupConfig {
  const out: ParsedNodegroupConfig = { sections: { ...DISABLED_CONFIG } };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    out.error = `${NODEGROUP_CONFIG_KEY} is not valid YAML: ${(err as Error).message.split('\n')[0]}`;
    return out;
  }
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    out.error = `${NODEGROUP_CONFIG_KEY} must be a map of sections`;
    return out;
  }
  out.document = doc as Record<string, unknown>;
  for (const section of NODEGROUP_CONFIG_SECTIONS) {
    const value = out.document[section];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object') {
      out.error = `section "${section}" must be a map such as {enabled: true}`;
      return out;
    }
    const enabled = (value as { enabled?: unknown }).enabled;
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      out.error = `section "${section}" must be a map such as {enabled: true}: "enabled" must be true or false, got ${JSON.stringify(enabled)}`;
      return out;
    }
    out.sections[section] = enabled === true;
  }
  return out;
}
