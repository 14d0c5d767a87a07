/**
 * Drift: has anything the twin read changed on the live environment since? Re-reads the same
 * collections (GET only) and compares each object with its read-set entry: the same
 * resourceVersion means unchanged; a different one (or none given) is compared by content hash,
 * so a status heartbeat alone is no drift. With the imported objects at hand (the twin file's
 * state) each drifted object comes with a field-level diff.
 */
import { describeChange, diffFields, type FieldChange } from './diff';
import { TwinForbiddenError } from './errors';
import type { ReadSet, TwinState } from './import';
import { type ReadEntry, type ReadSpec, readLive, TWIN_READS } from './reads';
import type { TwinObject } from './sanitize';
import { openTwinSource, type SentRequest, type TwinSource, type TwinTarget } from './target';

export type DriftChange = 'modified' | 'deleted' | 'created' | 'kind now served' | 'kind no longer served';

export interface DriftEntry {
  kind: string;
  resource: string;
  name: string;
  namespace?: string;
  change: DriftChange;
  resourceVersion?: { before?: string; after?: string };
  /** Field by field, when the imported content was given (an empty list: only fields the twin does not copy changed). */
  fields?: FieldChange[];
}

export interface DriftReport {
  drifted: DriftEntry[];
  /** Every request sent to re-read (GET only, and the login). */
  requests: SentRequest[];
}

const keyOf = (resource: string, namespace: string | undefined, name: string) =>
  `${resource}/${namespace ?? ''}/${name}`;

/** The read specs of a read set's collections, so the re-read asks exactly what the import asked. */
function specsOf(readSet: ReadSet): ReadSpec[] {
  return readSet.collections.map((c) => {
    const spec = TWIN_READS.find((s) => s.resource === c.resource && s.namespace === c.namespace);
    if (!spec) throw new Error(`the read set names a collection the twin does not read: ${c.resource}`);
    return spec;
  });
}

export async function driftFrom(
  source: TwinSource,
  readSet: ReadSet,
  before?: TwinState['objects'],
): Promise<DriftReport> {
  const specs = specsOf(readSet);
  const now = await readLive(source, specs);
  if (now.forbidden.length) throw new TwinForbiddenError(now.forbidden);
  const nowEntries = new Map(now.entries.map((e) => [keyOf(e.resource, e.namespace, e.name), e]));
  const nowObjects = new Map<string, TwinObject>();
  for (const [resource, list] of Object.entries(now.objects))
    for (const obj of list)
      nowObjects.set(keyOf(resource, obj.metadata.namespace, obj.metadata.name ?? ''), obj);
  const beforeObjects = new Map<string, TwinObject>();
  for (const [resource, list] of Object.entries(before ?? {}))
    for (const obj of list)
      beforeObjects.set(keyOf(resource, obj.metadata.namespace, obj.metadata.name ?? ''), obj);

  const drifted: DriftEntry[] = [];
  const seen = new Set<string>();
  const base = (e: ReadEntry) => ({
    kind: e.kind,
    resource: e.resource,
    name: e.name,
    ...(e.namespace ? { namespace: e.namespace } : {}),
  });
  for (const then of readSet.entries) {
    const key = keyOf(then.resource, then.namespace, then.name);
    seen.add(key);
    const current = nowEntries.get(key);
    const servedNow = now.collections.find((c) => c.resource === then.resource)?.served !== false;
    if (!current || current.absent) {
      if (then.absent) continue;
      drifted.push({
        ...base(then),
        change: servedNow ? 'deleted' : 'kind no longer served',
        resourceVersion: { ...(then.resourceVersion ? { before: then.resourceVersion } : {}) },
      });
      continue;
    }
    if (then.absent) {
      drifted.push({ ...base(then), change: 'created', resourceVersion: { after: current.resourceVersion } });
      continue;
    }
    if (then.resourceVersion && then.resourceVersion === current.resourceVersion) continue;
    if (then.hash === current.hash) continue;
    const entry: DriftEntry = {
      ...base(then),
      change: 'modified',
      resourceVersion: {
        ...(then.resourceVersion ? { before: then.resourceVersion } : {}),
        ...(current.resourceVersion ? { after: current.resourceVersion } : {}),
      },
    };
    const was = beforeObjects.get(key);
    if (was) entry.fields = diffFields(was, nowObjects.get(key));
    drifted.push(entry);
  }
  for (const current of now.entries) {
    const key = keyOf(current.resource, current.namespace, current.name);
    if (seen.has(key) || current.absent) continue;
    const wasServed = readSet.collections.find((c) => c.resource === current.resource)?.served !== false;
    drifted.push({
      ...base(current),
      change: wasServed ? 'created' : 'kind now served',
      ...(current.resourceVersion ? { resourceVersion: { after: current.resourceVersion } } : {}),
    });
  }
  return { drifted, requests: [...source.requests] };
}

/** Re-read `target` and list every object of the read set that changed since it was read. */
export async function checkDrift(
  readSet: ReadSet,
  target: TwinTarget,
  before?: TwinState['objects'],
): Promise<DriftReport> {
  const source = openTwinSource(target);
  try {
    return await driftFrom(source, readSet, before);
  } finally {
    await source.close();
  }
}

const objectName = (d: DriftEntry) => `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;

/** One line per drifted object, then one per changed field: what an apply prints when it refuses. */
export function describeDrift(report: DriftReport): string {
  if (report.drifted.length === 0) return 'no drift: every object read is unchanged';
  const lines = [`${report.drifted.length} object(s) changed since the twin was read:`];
  for (const d of report.drifted) {
    const rv = d.resourceVersion;
    const versions =
      rv?.before || rv?.after ? ` (resourceVersion ${rv.before ?? '-'} -> ${rv.after ?? '-'})` : '';
    lines.push(`  - ${objectName(d)}: ${d.change}${versions}`);
    if (d.fields?.length === 0) lines.push('      only fields the twin does not copy changed');
    for (const field of d.fields ?? []) lines.push(`      ${describeChange(field)}`);
  }
  return lines.join('\n');
}
