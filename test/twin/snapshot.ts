/** Everything a sandbox holds, read over HTTP: to show a source is unchanged and a twin alike. */
import { collectionPath, RESOURCES } from '../../src/kube/resources';

export interface Listed {
  resourceVersion: string;
  items: {
    metadata: { name: string; namespace?: string; labels?: object; annotations?: object };
    spec?: unknown;
  }[];
}

export async function listKind(url: string, token: string, name: keyof typeof RESOURCES): Promise<Listed> {
  const res = await fetch(`${url}${collectionPath(RESOURCES[name])}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`list ${name}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { items: Listed['items']; metadata: { resourceVersion: string } };
  return { resourceVersion: body.metadata.resourceVersion, items: body.items };
}

/** Every kind the sandbox serves, whole, and the store's version (one counter for all writes). */
export async function snapshot(url: string, token: string): Promise<{ version: string; kinds: object }> {
  const names = Object.keys(RESOURCES) as (keyof typeof RESOURCES)[];
  const lists = await Promise.all(names.map((n) => listKind(url, token, n)));
  return {
    version: lists[0]!.resourceVersion,
    kinds: Object.fromEntries(names.map((n, i) => [n, lists[i]!.items])),
  };
}

/** What a runbook sees of a kind: names, labels, annotations and spec, by name. */
export async function visible(url: string, token: string, name: keyof typeof RESOURCES): Promise<object> {
  const { items } = await listKind(url, token, name);
  return Object.fromEntries(
    items.map((o) => [
      `${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      { labels: o.metadata.labels ?? {}, annotations: o.metadata.annotations ?? {}, spec: o.spec },
    ]),
  );
}

/** The admin token of a sandbox's kubeconfig-free login (password grant). */
export { accessToken } from '../sandbox-http';
