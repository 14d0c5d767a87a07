/**
 * The `scale` subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), as
 * `kubectl scale` reads and patches it: `spec.replicas` of the object, its status replicas and
 * its selector as text. Writes change the object's `spec.replicas` only.
 */
import { contentTypeOf, type RequestContext, readBody, readObjectBody, sendJSON } from '../http/http';
import { applyPatchText, patchTypeOf } from '../http/patch';
import type { ResourceKind } from '../store/kinds';
import type { KubeObject } from '../store/object';
import { StatusError } from '../store/status';
import type { ObjectStore } from '../store/store';

export const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function scaleOf(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: ((obj.status ?? {}) as { replicas?: number }).replicas ?? 0, selector },
  };
}

function replicasIn(scale: unknown): number {
  const replicas = (scale as { spec?: { replicas?: unknown } } | null)?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new StatusError(
      'Invalid',
      `Scale is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
    );
  return replicas;
}

export async function serveScale(
  store: ObjectStore,
  ctx: RequestContext,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const current = store.get(kind.resource, namespace, name);
  if (ctx.method === 'GET') return sendJSON(ctx.res, 200, scaleOf(current));
  let replicas: number;
  if (ctx.method === 'PUT') replicas = replicasIn(await readObjectBody(ctx.req));
  else if (ctx.method === 'PATCH') {
    const type = patchTypeOf(contentTypeOf(ctx.req), kind);
    replicas = replicasIn(applyPatchText(scaleOf(current), (await readBody(ctx.req)).toString('utf8'), type));
  } else
    throw new StatusError(
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${ctx.method} ${ctx.path})`,
    );
  const updated = store.mutate(kind.resource, namespace, name, (o) => {
    o.spec = { ...(o.spec as object), replicas };
  });
  sendJSON(ctx.res, 200, scaleOf(updated));
}
