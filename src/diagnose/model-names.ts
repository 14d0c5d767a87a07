/**
 * The (model) names of the nodegroup server the diagnosis reads; they live in src/constants.ts
 * with every other wire name, so aligning them with a server version is one edit there.
 */
export {
  BOUND_MESSAGE_GROUP as NODE_BOUND_MESSAGE,
  CLUSTER_EVENTS_NAMESPACE,
  DESIRED_NODEGROUP_ANNOTATION,
  IPPOOL_SYNCED_CONDITION,
  ippoolKeyOf,
  ippoolNameOf,
  REASONS,
} from '../constants';
