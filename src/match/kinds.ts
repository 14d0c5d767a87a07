/**
 * Kind words of the runbooks (`node`, `pod`, `deployment`, `nodegroup`, `ns`) to API resources,
 * through discovery: every kind the API serves, as kubectl resolves them (kind, singular, plural,
 * short names; case-insensitive). Resolved once per cluster and cached. A word that names no
 * served kind is a ConfigError listing the known kinds.
 */
import type { KubeReader } from '../kube/reader';
import type { ResourceRef } from '../kube/resources';
import { ConfigError } from '../runbook/errors';

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
}

export interface ServedKind {
  ref: ResourceRef;
  /** The words that name it, lower case: singular, plural, kind, short names. */
  words: string[];
}

/** `/clusters/{member}` before the API paths of a member cluster; nothing for the host. */
export const clusterPrefix = (cluster?: string): string =>
  cluster ? `/clusters/${encodeURIComponent(cluster)}` : '';

export class KindResolver {
  private served: Promise<ServedKind[]> | undefined;

  constructor(
    private readonly kube: Pick<KubeReader, 'getPath'>,
    /** A member cluster reached through the host; absent: the host itself. */
    readonly cluster?: string,
  ) {}

  /** Every kind the API serves (discovered on first use). */
  kinds(): Promise<ServedKind[]> {
    this.served ??= this.discover().catch((err) => {
      this.served = undefined; // a failed discovery is not cached
      throw err;
    });
    return this.served;
  }

  async resolve(word: string): Promise<ResourceRef> {
    const wanted = word.toLowerCase();
    const kinds = await this.kinds();
    const found = kinds.filter((k) => k.words.includes(wanted));
    // Two groups serving one kind name (rare): the first discovered wins, as kubectl's preference.
    if (found[0]) return found[0].ref;
    const known = [...new Set(kinds.map((k) => k.words[0]!))].sort();
    throw new ConfigError(
      `unknown kind "${word}"${this.cluster ? ` on cluster ${this.cluster}` : ''}: the API serves ${known.join(', ')}`,
    );
  }

  private async get<T>(path: string): Promise<T> {
    const full = `${clusterPrefix(this.cluster)}${path}`;
    const { status, body } = await this.kube.getPath(full);
    if (status !== 200)
      throw new ConfigError(
        `cannot discover the API's kinds: GET ${full} answered ${status} ${(body as { message?: string })?.message ?? ''}`.trim(),
      );
    return body as T;
  }

  private async discover(): Promise<ServedKind[]> {
    const groups = await this.get<{ groups: { preferredVersion?: { groupVersion: string } }[] }>('/apis');
    const versions = [
      'v1',
      ...groups.groups.flatMap((g) => (g.preferredVersion ? [g.preferredVersion.groupVersion] : [])),
    ];
    const lists = await Promise.all(
      versions.map(async (gv) => ({
        gv,
        list: await this.get<{ resources: ApiResource[] }>(gv === 'v1' ? '/api/v1' : `/apis/${gv}`),
      })),
    );
    const prefix = clusterPrefix(this.cluster);
    return lists.flatMap(({ gv, list }) =>
      list.resources
        .filter((r) => !r.name.includes('/')) // subresources (nodes/status) are no kinds
        .map((r) => ({
          ref: {
            apiVersion: gv,
            kind: r.kind,
            plural: r.name,
            namespaced: r.namespaced,
            ...(prefix ? { pathPrefix: prefix } : {}),
          },
          words: [
            ...new Set(
              [r.singularName || r.kind, r.name, r.kind, ...(r.shortNames ?? [])].map((w) => w.toLowerCase()),
            ),
          ],
        })),
    );
  }
}
