/** Reading the parts of objects and events the checks need, and excerpting them as evidence. */
import { describeRepair } from '../actions/describe';
import { NODE_SELECTOR_ANNOTATION, WORKSPACE_LABEL } from '../constants';
import {
  CHECKS,
  type CheckId,
  type CheckStatus,
  type Finding,
  type KubeObject,
  type ObjectExcerpt,
} from './types';

export const nameOf = (obj: KubeObject): string => obj.metadata.name ?? '';
export const labelOf = (obj: KubeObject | undefined, key: string): string | undefined =>
  obj?.metadata.labels?.[key];
export const annotationOf = (obj: KubeObject | undefined, key: string): string | undefined =>
  obj?.metadata.annotations?.[key];
export const byName = (list: KubeObject[], name: string | undefined): KubeObject | undefined =>
  name === undefined ? undefined : list.find((o) => nameOf(o) === name);

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
export function conditionOf(obj: KubeObject | undefined, type: string): Condition | undefined {
  const conditions = (obj?.['status'] as { conditions?: Condition[] } | undefined)?.conditions;
  return conditions?.find((c) => c.type === type);
}

/** Keys that tell nodegroup state: ours, KubeSphere's workspace label, the scheduling annotation. */
const RELEVANT = [/^apps\.edgewize\.io\//, /^(\w+\.)?infra\.kubesphere\.io\//, /^nodegroup\./];
const relevant = (key: string) =>
  key === WORKSPACE_LABEL || key === NODE_SELECTOR_ANNOTATION || RELEVANT.some((re) => re.test(key));

function pick(map: Record<string, string> | undefined): Record<string, string> | undefined {
  const out = Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => relevant(key)));
  return Object.keys(out).length ? out : undefined;
}

/** The nodegroup-relevant labels, annotations, finalizers and deletion of an object. */
export function excerpt(kind: string, obj: KubeObject, extra: Record<string, unknown> = {}): ObjectExcerpt {
  const meta = obj.metadata;
  const out: ObjectExcerpt = { ref: `${kind}/${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}` };
  const labels = pick(meta.labels);
  const annotations = pick(meta.annotations);
  if (labels) out['labels'] = labels;
  if (annotations) out['annotations'] = annotations;
  if (meta.finalizers?.length) out['finalizers'] = meta.finalizers;
  if (meta.deletionTimestamp) out['deletionTimestamp'] = String(meta.deletionTimestamp);
  return { ...out, ...extra };
}

interface EventFields {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
}
const fields = (e: KubeObject) => e as unknown as EventFields;
export const reasonOf = (e: KubeObject) => fields(e).reason ?? '';
export const messageOf = (e: KubeObject) => fields(e).message ?? '';

/** Oldest first: by last time seen, then by the version of the Event (later writes are newer). */
function when(e: KubeObject): [number, number] {
  const f = fields(e);
  const at = Date.parse(String(f.lastTimestamp ?? f.eventTime ?? f.firstTimestamp ?? ''));
  return [Number.isNaN(at) ? 0 : at, Number(e.metadata.resourceVersion) || 0];
}
export function chronological(events: KubeObject[]): KubeObject[] {
  return [...events].sort((a, b) => {
    const [ta, va] = when(a);
    const [tb, vb] = when(b);
    return ta - tb || va - vb;
  });
}

/** Events about one object, oldest first; `reasons` narrows them. */
export function eventsAbout(
  events: KubeObject[],
  kind: string,
  name: string,
  reasons?: string[],
): KubeObject[] {
  return chronological(
    events.filter((e) => {
      const about = fields(e).involvedObject;
      return about?.kind === kind && about.name === name && (!reasons || reasons.includes(reasonOf(e)));
    }),
  );
}

/** `Warning IPPoolSyncFailed NodeGroup/edge-a (x3): message` */
export function eventLine(e: KubeObject): string {
  const f = fields(e);
  const about = f.involvedObject;
  const count = (f.count ?? 1) > 1 ? ` (x${f.count})` : '';
  return `${f.type ?? 'Normal'} ${f.reason ?? ''} ${about?.kind}/${about?.name}${count}: ${f.message ?? ''}`;
}

type FindingExtras = Partial<Pick<Finding, 'likelyCause' | 'repair'>> & {
  objects?: ObjectExcerpt[];
  events?: KubeObject[];
};

export function finding(
  id: CheckId,
  status: CheckStatus,
  summary: string,
  extras: FindingExtras = {},
): Finding {
  const order = CHECKS.findIndex((c) => c.id === id);
  const out: Finding = {
    check: { id, title: CHECKS[order]!.title, order: order + 1 },
    status,
    summary,
    evidence: { objects: extras.objects ?? [], events: (extras.events ?? []).map(eventLine) },
  };
  if (extras.likelyCause) out.likelyCause = extras.likelyCause;
  if (extras.repair?.length) {
    out.repair = extras.repair;
    out.nextCommand = describeRepair(extras.repair);
  }
  return out;
}
