/**
 * Events of the Kubernetes components the sandbox plays (scheduler, ReplicaSet and Deployment
 * controllers), with their own `source.component`. A repeat of the same event bumps `count` and
 * `lastTimestamp`. Best effort: a failed write never fails a reconcile.
 */
import { randomBytes } from 'node:crypto';
import { kindByResource } from '../store/kinds';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';

export const SCHEDULER_COMPONENT = 'default-scheduler';
export const REPLICASET_COMPONENT = 'replicaset-controller';
export const DEPLOYMENT_COMPONENT = 'deployment-controller';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class ComponentEvents {
  private readonly written = new Map<string, string>();

  constructor(private readonly store: ObjectStore) {}

  record(
    component: string,
    resource: string,
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): void {
    const kind = kindByResource(resource);
    const namespace = obj.metadata.namespace ?? 'default';
    const key = [component, resource, namespace, obj.metadata.name, obj.metadata.uid, reason, message].join(
      '\0',
    );
    try {
      const seen = this.written.get(key);
      if (seen && this.store.has('events', namespace, seen)) {
        this.store.mutate('events', namespace, seen, (e) => {
          e.count = ((e.count as number | undefined) ?? 1) + 1;
          e.lastTimestamp = now();
        });
        return;
      }
      const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
      const at = now();
      this.store.create('events', {
        metadata: { name, namespace },
        involvedObject: {
          kind: kind.kind,
          apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
          name: obj.metadata.name,
          namespace,
          uid: obj.metadata.uid,
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
        source: { component },
        reportingComponent: component,
      });
      this.written.set(key, name);
    } catch {
      // The namespace is going away, or a reset came in between: events are best effort.
    }
  }
}
