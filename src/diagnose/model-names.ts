/**
 * (model) names of the nodegroup server that src/constants.ts does not hold yet; today they live in
 * the sandbox's model (src/sandbox/nodegroup-model.ts). The diagnosis takes them from this one file
 * so that moving them to constants.ts (the lead's call) changes a single import.
 */
export {
  CLUSTER_EVENTS_NAMESPACE,
  DESIRED_NODEGROUP_ANNOTATION,
  IPPOOL_SYNCED_CONDITION,
  ippoolKeyOf,
  ippoolNameOf,
  REASONS,
} from '../sandbox/nodegroup-model';

/** (model) The group a NodeBound event on a node names: "Node <n> bound to nodegroup <ng>". */
export const NODE_BOUND_MESSAGE = /bound to nodegroup (\S+)$/;
