/** Which resource a Kubernetes API path names: kind, namespace, name, subresource. */
import { findKind, type ResourceKind } from '../store/kinds';

export interface Target {
  kind: ResourceKind;
  /** Namespace from the URL; undefined for cluster-scoped kinds and all-namespaces lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

const SUBRESOURCES = new Set(['status', 'scale']);

/** Resolve the part of a path after /api/{v} or /apis/{g}/{v}; undefined when no such resource. */
export function resolveTarget(group: string, version: string, rest: string[]): Target | undefined {
  let namespace: string | undefined;
  let parts = rest;
  if (parts[0] === 'namespaces' && parts.length >= 3 && findKind(group, version, parts[2]!)?.namespaced) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource = '', name, subresource, ...extra] = parts;
  const kind = findKind(group, version, resource);
  if (!kind || extra.length > 0) return undefined;
  if (namespace && !kind.namespaced) return undefined;
  if (name !== undefined && kind.namespaced && namespace === undefined) return undefined;
  if (subresource !== undefined && !SUBRESOURCES.has(subresource)) return undefined;
  if (subresource === 'scale' && !kind.scale) return undefined;
  return { kind, namespace, name, subresource };
}
