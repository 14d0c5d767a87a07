/**
 * API discovery, generated from KINDS: the legacy documents (/api, /api/v1, /apis,
 * /apis/{group}, /apis/{group}/{version}) and the aggregated form (apidiscovery.k8s.io v2 and
 * v2beta1 APIGroupDiscoveryList) that kubectl 1.32 prefers for /api and /apis.
 */
import { apiVersionOf, KINDS, type ResourceKind, VERBS } from '../store/kinds';
import { SCALE_KIND } from './scale';

const STATUS_VERBS = ['get', 'patch', 'update'];

/** Distinct group names in KINDS order ('' for core), and their versions in KINDS order. */
function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of KINDS) {
    const versions = out.get(k.group) ?? [];
    if (!versions.includes(k.version)) versions.push(k.version);
    out.set(k.group, versions);
  }
  return out;
}

const kindsOf = (group: string, version: string) =>
  KINDS.filter((k) => k.group === group && k.version === version);

export const hasGroupVersion = (group: string, version: string): boolean =>
  kindsOf(group, version).length > 0;

export const hasGroup = (group: string): boolean => groups().has(group) && group !== '';

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: groups().get('') ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

export const apiGroupDocument = (name: string) => ({
  kind: 'APIGroup',
  apiVersion: 'v1',
  ...apiGroup(name, groups().get(name) ?? []),
});

export function apiGroupList() {
  const named = [...groups()].filter(([name]) => name !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(([name, v]) => apiGroup(name, v)) };
}

export function apiResourceList(group: string, version: string) {
  const resources = kindsOf(group, version).flatMap((k) => [
    {
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length ? { categories: k.categories } : {}),
    },
    {
      name: `${k.resource}/status`,
      singularName: '',
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: STATUS_VERBS,
    },
    ...(k.scale
      ? [
          {
            name: `${k.resource}/scale`,
            singularName: '',
            namespaced: k.namespaced,
            ...SCALE_KIND,
            verbs: STATUS_VERBS,
          },
        ]
      : []),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}

function discoveryResource(k: ResourceKind) {
  const responseKind = { group: k.group, version: k.version, kind: k.kind };
  return {
    resource: k.resource,
    responseKind,
    scope: k.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: k.singular,
    verbs: VERBS,
    ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
    ...(k.categories.length ? { categories: k.categories } : {}),
    subresources: [
      { subresource: 'status', responseKind, verbs: STATUS_VERBS },
      ...(k.scale ? [{ subresource: 'scale', responseKind: SCALE_KIND, verbs: STATUS_VERBS }] : []),
    ],
  };
}

export type DiscoveryVersion = 'v2' | 'v2beta1';

/** Aggregated discovery: the core group for /api, the named groups for /apis. */
export function aggregatedDiscovery(core: boolean, version: DiscoveryVersion) {
  const items = [...groups()]
    .filter(([name]) => (name === '') === core)
    .map(([name, versions]) => ({
      metadata: { name, creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v,
        resources: kindsOf(name, v).map(discoveryResource),
        freshness: 'Current',
      })),
    }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}

export const aggregatedContentType = (version: DiscoveryVersion) =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/**
 * Which aggregated form an Accept header asks for first, or undefined for the legacy document.
 * kubectl sends `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...,application/json`.
 */
export function preferredDiscovery(accept: string | undefined): DiscoveryVersion | undefined {
  for (const option of (accept ?? '').split(',')) {
    const params = mediaParams(option);
    if (params.type !== 'application/json') continue;
    if (params.as === 'APIGroupDiscoveryList' && params.g === 'apidiscovery.k8s.io') {
      if (params.v === 'v2' || params.v === 'v2beta1') return params.v;
      continue;
    }
    if (!params.as) return undefined; // plain JSON preferred over anything after it
  }
  return undefined;
}

/** One Accept entry split into its media type and parameters. */
export function mediaParams(option: string): Record<string, string> & { type: string } {
  const [type = '', ...params] = option.split(';').map((p) => p.trim());
  const out: Record<string, string> & { type: string } = { type: type.toLowerCase() };
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0) out[param.slice(0, eq).trim()] = param.slice(eq + 1).trim();
  }
  return out;
}

/**
 * A minimal OpenAPI v3: the root lists every group-version, and each group-version document
 * has only the PATCH operations with their `fieldValidation` parameter. That is what kubectl
 * create/apply look up to leave validation to the server; without /openapi/v3 they fail with
 * "failed to download openapi". No schemas: `kubectl explain` is not served.
 */
export function openApiV3Root() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [group, versions] of groups()) {
    for (const version of versions) {
      const path = group ? `apis/${group}/${version}` : `api/${version}`;
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${OPENAPI_HASH}` };
    }
  }
  return { paths };
}

const OPENAPI_HASH = 'sandbox-1';

/** The document for `api/v1` or `apis/{group}/{version}` (segments after /openapi/v3), or undefined. */
export function openApiV3GroupVersion(segments: string[]) {
  const [prefix, a, b] = segments;
  const [group, version] = prefix === 'api' && b === undefined ? ['', a] : prefix === 'apis' ? [a, b] : [];
  if (version === undefined || group === undefined || !hasGroupVersion(group, version)) return undefined;
  const paths: Record<string, unknown> = {};
  for (const k of kindsOf(group, version)) {
    const base = `/${k.group ? `apis/${k.group}` : 'api'}/${k.version}`;
    const path = k.namespaced
      ? `${base}/namespaces/{namespace}/${k.resource}/{name}`
      : `${base}/${k.resource}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${k.kind}`,
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1' }, paths };
}
