/**
 * ClusterSources: over a kubeconfig (KubeReader, client-node) or over ks-apiserver with the KAPI
 * client, which proxies /api and /apis to kube-apiserver as KubeSphere does (one login for all).
 */
import type { KapiClient } from '../kapi/client';
import { HttpError } from '../kapi/errors';
import { getNodeGroup } from '../kapi/nodegroups';
import { KubeApiError } from '../kube/errors';
import type { KubeReader, ListOptions } from '../kube/reader';
import { collectionPath, RESOURCES, type ResourceRef } from '../kube/resources';
import type { ClusterSource, KubeObject } from './types';

/** KubeReader's list error for a kind the server does not serve (e.g. no IPPool CRD installed). */
const kindNotServed = (err: unknown) =>
  err instanceof KubeApiError && err.verb === 'LIST' && err.status === 404;

export function kubeReaderSource(reader: KubeReader): ClusterSource {
  const list = async (r: ResourceRef, options?: ListOptions) => {
    try {
      return (await reader.list(r, options)).items;
    } catch (err) {
      if (kindNotServed(err)) return [];
      throw err;
    }
  };
  return {
    get: (r, name, namespace) => reader.get(r, name, namespace),
    list,
    events: (namespace) => list(RESOURCES.event, { namespace }),
  };
}

const notFound = (err: unknown) => err instanceof HttpError && err.status === 404;

/** Through ks-apiserver; `cluster` reads a member cluster (`/clusters/NAME/...`). */
export function kapiSource(client: KapiClient, scope: { cluster?: string } = {}): ClusterSource {
  const prefix = scope.cluster ? `/clusters/${scope.cluster}` : '';
  const get = async (r: ResourceRef, name: string, namespace?: string) => {
    try {
      const path = `${prefix}${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
      return await client.call<KubeObject>({ method: 'GET', path });
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  };
  const list = async (r: ResourceRef, options: ListOptions = {}) => {
    const query = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    const path = `${prefix}${collectionPath(r, options.namespace)}`;
    try {
      return (await client.call<{ items?: KubeObject[] }>({ method: 'GET', path, query })).items ?? [];
    } catch (err) {
      if (notFound(err)) return []; // a kind the cluster does not serve (e.g. no IPPool CRD)
      throw err;
    }
  };
  return {
    get,
    list,
    events: (namespace) => list(RESOURCES.event, { namespace }),
    async nodegroup(name) {
      try {
        return (await getNodeGroup(client, name, scope)) as unknown as KubeObject;
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
  };
}
