/**
 * Kubernetes Events a component the sandbox plays leaves on the objects it touches (the nodegroup
 * controller, the scheduler, the ReplicaSet and Deployment controllers), so `kubectl get events`
 * and `kubectl describe` tell the story. A repeat of the same event bumps `count` and
 * `lastTimestamp`, as client-go's event recorder does. Best effort: a failed write never fails a
 * reconcile.
 */
import { randomBytes } from 'node:crypto';
import { CLUSTER_EVENTS_NAMESPACE } from '../../constants';
import { kindByResource } from './kinds';
import type { KubeObject } from './object';
import type { ObjectStore } from './store';

export type EventType = 'Normal' | 'Warning';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class EventWriter {
  /** Dedupe key -> the Event object already written for it. */
  private readonly written = new Map<string, { namespace: string; name: string }>();

  constructor(private readonly store: ObjectStore) {}

  record(
    component: string,
    resource: string,
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): void {
    const kind = kindByResource(resource);
    const meta = obj.metadata;
    // Events about cluster-scoped objects live in `default`, as Kubernetes puts them.
    const namespace = kind.namespaced ? (meta.namespace ?? 'default') : CLUSTER_EVENTS_NAMESPACE;
    const key = [component, resource, meta.namespace ?? '', meta.name, meta.uid, type, reason, message].join(
      '\u0000',
    );
    try {
      const seen = this.written.get(key);
      if (seen && this.store.has('events', seen.namespace, seen.name)) {
        this.store.mutate('events', seen.namespace, seen.name, (event) => {
          event.count = ((event.count as number | undefined) ?? 1) + 1;
          event.lastTimestamp = now();
        });
        return;
      }
      const name = `${meta.name}.${randomBytes(8).toString('hex')}`;
      const at = now();
      this.store.create('events', {
        metadata: { name, namespace },
        involvedObject: {
          kind: kind.kind,
          apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
          name: meta.name,
          ...(kind.namespaced ? { namespace: meta.namespace } : {}),
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
      });
      this.written.set(key, { namespace, name });
    } catch {
      // No namespace for events (a bare store, a namespace going away) or a reset in between.
    }
  }
}
