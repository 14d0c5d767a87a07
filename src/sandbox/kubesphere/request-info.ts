/**
 * What a request path addresses, as Kubernetes' RequestInfo reads it, for authorization and
 * its Forbidden wording. Paths that are not resources (control routes, discovery) are `{ path }`.
 */
import type { AccessTarget } from './oauth';

const CORE_NAMESPACED = /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;
const CORE = /^\/api\/v1\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;
const GROUP_NAMESPACED = /^\/apis\/([^/]+)\/[^/]+\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;
const GROUP = /^\/apis\/([^/]+)\/[^/]+\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;
/** KAPI, with the multi-cluster prefixes stripped first. */
const KAPI = /^\/kapis\/([^/]+)\/[^/]+\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?/;

export function accessTarget(path: string): AccessTarget {
  const local = path.replace(/^\/kapis\/clusters\/[^/]+\//, '/kapis/').replace(/^\/clusters\/[^/]+\//, '/');
  let m = CORE_NAMESPACED.exec(local);
  if (m) return { resource: m[2]!, group: '', namespace: m[1], name: m[3], subresource: m[4] };
  m = CORE.exec(local);
  if (m && m[1] !== 'namespaces') return { resource: m[1]!, group: '', name: m[2], subresource: m[3] };
  if (m) return { resource: 'namespaces', group: '', name: m[2], subresource: m[3] };
  m = GROUP_NAMESPACED.exec(local);
  if (m) return { resource: m[3]!, group: m[1]!, namespace: m[2], name: m[4], subresource: m[5] };
  m = GROUP.exec(local);
  if (m) return { resource: m[2]!, group: m[1]!, name: m[3], subresource: m[4] };
  m = KAPI.exec(local);
  if (m) return { resource: m[2]!, group: m[1]!, name: m[3], subresource: m[4] };
  return { path };
}
