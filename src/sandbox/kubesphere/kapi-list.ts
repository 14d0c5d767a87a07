/**
 * KubeSphere's list convention for KAPI collections (confirmed, from ks-apiserver's query
 * package): `{"items":[...],"totalItems":N}` with `page`, `limit`, `sortBy` (default
 * creationTimestamp), `ascending` (default false), `name` (substring of the name or, for
 * NodeGroups, of spec.alias) and `labelSelector`. totalItems counts the filtered items before paging.
 */
import type { KubeObject } from '../store/object';
import { badRequest } from '../store/status';

const SORT_KEYS: Record<string, (obj: KubeObject) => string> = {
  creationTimestamp: (obj) => obj.metadata.creationTimestamp ?? '',
  createTime: (obj) => obj.metadata.creationTimestamp ?? '',
  name: (obj) => obj.metadata.name ?? '',
  alias: (obj) => String((obj.spec as { alias?: unknown } | undefined)?.alias ?? ''),
};

function integerParam(query: URLSearchParams, key: string, min: number, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) {
    throw badRequest(`invalid query parameter ${key}="${raw}": must be an integer of at least ${min}`);
  }
  return Number(raw);
}

export interface ListPage {
  items: KubeObject[];
  totalItems: number;
}

/** Filter, sort and page `items` as the query asks (labelSelector is applied by the store). */
export function pageOf(items: KubeObject[], query: URLSearchParams): ListPage {
  const page = integerParam(query, 'page', 1, 1);
  const limit = integerParam(query, 'limit', -1, -1);
  const sortBy = query.get('sortBy') || 'creationTimestamp';
  const sortKey = SORT_KEYS[sortBy];
  if (!sortKey) {
    throw badRequest(
      `invalid query parameter sortBy="${sortBy}": one of ${Object.keys(SORT_KEYS).join(', ')}`,
    );
  }
  const ascendingRaw = query.get('ascending') ?? 'false';
  if (ascendingRaw !== 'true' && ascendingRaw !== 'false') {
    throw badRequest(`invalid query parameter ascending="${ascendingRaw}": must be true or false`);
  }
  const name = query.get('name');
  const filtered = name
    ? items.filter((obj) => (obj.metadata.name ?? '').includes(name) || SORT_KEYS.alias!(obj).includes(name))
    : items;
  const direction = ascendingRaw === 'true' ? 1 : -1;
  const sorted = [...filtered].sort((a, b) => {
    const byKey = sortKey(a).localeCompare(sortKey(b));
    // Ties (same second) fall back to the name, as KubeSphere's default compare does.
    return direction * (byKey !== 0 ? byKey : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  });
  const start = limit < 0 ? 0 : (page - 1) * limit;
  const paged = limit < 0 ? sorted : sorted.slice(start, start + limit);
  return { items: paged, totalItems: filtered.length };
}
