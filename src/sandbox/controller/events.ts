/**
 * Kubernetes Events the controller leaves on the objects it touches, so `kubectl get events` and
 * `kubectl describe` tell the story. Repeats of the same event bump `count` and `lastTimestamp`
 * as the real event recorder does. Recording is best effort: it never fails a reconcile.
 */

import { randomBytes } from 'node:crypto';
import { CLUSTER_EVENTS_NAMESPACE, CONTROLLER_COMPONENT } from '../../constants';
import { kindByResource } from '../store/kinds';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';

export type EventType = 'Normal' | 'Warning';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class EventRecorder {
  /** Dedupe key -> name of the Event object already written for it. */
  private readonly written = new Map<string, { namespace: string; name: string }>();

  constructor(private readonly store: ObjectStore) {}

  record(resource: string, obj: KubeObject, type: EventType, reason: string, message: string): void {
    const kind = kindByResource(resource);
    const meta = obj.metadata;
    const namespace = kind.namespaced ? (meta.namespace ?? 'default') : CLUSTER_EVENTS_NAMESPACE;
    const key = [resource, meta.namespace ?? '', meta.name, meta.uid, type, reason, message].join('\u0000');
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
        source: { component: CONTROLLER_COMPONENT },
        reportingComponent: CONTROLLER_COMPONENT,
        reportingInstance: CONTROLLER_COMPONENT,
      });
      this.written.set(key, { namespace, name });
    } catch {
      // No namespace for events (a bare store) or a reset in between: events are best effort.
    }
  }
}
