/**
 * Events of the Kubernetes components the sandbox plays (scheduler, ReplicaSet and Deployment
 * controllers), with their own `source.component`. A repeat of the same event bumps `count` and
 * `lastTimestamp`. Best effort: a failed write never fails a reconcile.
 */

export const SCHEDULER_COMPONENT = 'default-scheduler';
export const REPLICASET_COMPONENT = 'replicaset-controller';
export const DEPLOYMENT_COMPONENT = 'deployment-controller';

/** Their Events: the sandbox's one event writer, each call naming its component. */
export { EventWriter as ComponentEvents } from '../store/event-writer';
