/**
 * Server-side `Table` output (meta.k8s.io/v1), what `kubectl get` asks for. Columns are data:
 * one list per resource, each column a definition plus a cell function, with kubectl's own
 * column names and cell rules (printers.go). Priority 1 columns are `-o wide` only.
 */
import { WORKSPACE_PARENT_ANNOTATION } from '../../constants';
import type { KubeObject } from '../store/object';

export type IncludeObject = 'None' | 'Metadata' | 'Object';
type Cell = string | number;

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
  cell: (obj: KubeObject, now: number) => Cell;
}

export interface TableRow {
  cells: Cell[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string };
  columnDefinitions: Omit<Column, 'cell'>[];
  rows: TableRow[];
}

/** kubectl's duration.HumanDuration: 5s, 3m20s, 3h, 2d4h, 1y30d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

export const ageOf = (timestamp: unknown, now: number): string => {
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
};

/** Read a nested field without caring about the shape on the way. */
function field(obj: unknown, ...path: string[]): unknown {
  let value = obj;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
/** kubectl's server-side printers write <none> for an empty field. */
const str = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '<none>');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : []);

const col = (
  name: string,
  description: string,
  cell: Column['cell'],
  extra: Partial<Omit<Column, 'cell' | 'name' | 'description'>> = {},
): Column => ({ name, type: 'string', format: '', description, priority: 0, cell, ...extra });

const NAME = col(
  'Name',
  'Name must be unique within a namespace. Cannot be updated.',
  (o) => o.metadata.name ?? '',
  { format: 'name' },
);
const AGE = col(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
  (o, now) => ageOf(o.metadata.creationTimestamp, now),
);
/** A Workspace's and its WorkspaceTemplate's group: their parent annotation. */
const WORKSPACE_NODEGROUP = col(
  'Nodegroup',
  'Node group the workspace is bound to.',
  (o) => str(o.metadata.annotations?.[WORKSPACE_PARENT_ANNOTATION]),
  { priority: 1 },
);

function nodeStatus(node: KubeObject): string {
  const ready = list(field(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (field(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/') && key.length > 24) roles.add(key.slice(24));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const nodeAddress = (node: KubeObject, type: string): Cell =>
  str(list(field(node, 'status', 'addresses')).find((a) => a.type === type)?.address);

function podStatus(pod: KubeObject): string {
  let reason = String(field(pod, 'status', 'reason') ?? field(pod, 'status', 'phase') ?? 'Unknown');
  for (const cs of list(field(pod, 'status', 'containerStatuses'))) {
    const waiting = field(cs, 'state', 'waiting', 'reason');
    const terminated = field(cs, 'state', 'terminated');
    if (typeof waiting === 'string' && waiting) reason = waiting;
    else if (terminated)
      reason = String(field(terminated, 'reason') ?? `ExitCode:${num(field(terminated, 'exitCode'))}`);
  }
  if (pod.metadata.deletionTimestamp) return reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podRestarts(pod: KubeObject, now: number): string {
  let restarts = 0;
  let last = 0;
  for (const cs of list(field(pod, 'status', 'containerStatuses'))) {
    restarts += num(cs.restartCount);
    const finished = Date.parse(String(field(cs, 'lastState', 'terminated', 'finishedAt') ?? ''));
    if (!Number.isNaN(finished)) last = Math.max(last, finished);
  }
  return last && restarts ? `${restarts} (${humanDuration(now - last)} ago)` : String(restarts);
}

const podReady = (pod: KubeObject): string => {
  const statuses = list(field(pod, 'status', 'containerStatuses'));
  return `${statuses.filter((s) => s.ready === true).length}/${list(field(pod, 'spec', 'containers')).length}`;
};

const containersOf = (obj: KubeObject, key: 'name' | 'image'): Cell =>
  str(
    list(field(obj, 'spec', 'template', 'spec', 'containers'))
      .map((c) => String(c[key] ?? ''))
      .join(','),
  );

const selectorText = (selector: unknown): Cell =>
  str(
    Object.entries((field(selector, 'matchLabels') as Record<string, string> | undefined) ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  );

const eventObject = (ev: KubeObject): string =>
  `${String(field(ev, 'involvedObject', 'kind') ?? '').toLowerCase()}/${String(field(ev, 'involvedObject', 'name') ?? '')}`;

const eventLastSeen = (ev: KubeObject, now: number): string =>
  ageOf(ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp, now);

/** Columns per plural resource; kinds missing here get NAME and AGE. */
export const TABLE_COLUMNS: Record<string, Column[]> = {
  nodes: [
    NAME,
    col('Status', 'The status of the node', nodeStatus),
    col('Roles', 'The roles of the node', nodeRoles),
    AGE,
    col('Version', 'Kubelet Version reported by the node.', (o) =>
      str(field(o, 'status', 'nodeInfo', 'kubeletVersion')),
    ),
    col('Internal-IP', 'List of internal IPs.', (o) => nodeAddress(o, 'InternalIP'), { priority: 1 }),
    col('External-IP', 'List of external IPs.', (o) => nodeAddress(o, 'ExternalIP'), { priority: 1 }),
    col('OS-Image', 'OS Image reported by the node.', (o) => str(field(o, 'status', 'nodeInfo', 'osImage')), {
      priority: 1,
    }),
    col('Kernel-Version', 'Kernel version.', (o) => str(field(o, 'status', 'nodeInfo', 'kernelVersion')), {
      priority: 1,
    }),
    col(
      'Container-Runtime',
      'Container runtime version.',
      (o) => str(field(o, 'status', 'nodeInfo', 'containerRuntimeVersion')),
      { priority: 1 },
    ),
  ],
  namespaces: [
    NAME,
    col('Status', 'The status of the namespace', (o) => {
      const phase = field(o, 'status', 'phase');
      return typeof phase === 'string' && phase ? phase : 'Active';
    }),
    AGE,
  ],
  configmaps: [
    NAME,
    col(
      'Data',
      'Number of entries in data and binaryData.',
      (o) => Object.keys(field(o, 'data') ?? {}).length + Object.keys(field(o, 'binaryData') ?? {}).length,
      { type: 'integer' },
    ),
    AGE,
  ],
  pods: [
    NAME,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.', podReady),
    col('Status', 'The aggregate status of the containers in this pod.', podStatus),
    col('Restarts', 'The number of times the containers in this pod have been restarted.', podRestarts),
    AGE,
    col('IP', 'IP address allocated to the pod.', (o) => str(field(o, 'status', 'podIP')), { priority: 1 }),
    col('Node', 'Name of the Node this pod is assigned to.', (o) => str(field(o, 'spec', 'nodeName')), {
      priority: 1,
    }),
    col(
      'Nominated Node',
      'Name of the node where the pod may be scheduled.',
      (o) => str(field(o, 'status', 'nominatedNodeName')),
      { priority: 1 },
    ),
    col('Readiness Gates', 'Pod readiness gates.', () => '<none>', { priority: 1 }),
  ],
  events: [
    col('Last Seen', 'Time when last event occurred.', eventLastSeen),
    col('Type', 'Type of this event (Normal, Warning).', (o) => str(o.type)),
    col('Reason', 'Why the action was taken.', (o) => str(o.reason)),
    col('Object', 'The object this event is about.', eventObject),
    col('Message', 'A human-readable description of the status of this operation.', (o) =>
      String(o.message ?? '').trim(),
    ),
  ],
  replicasets: [
    NAME,
    col('Desired', 'Number of desired pods.', (o) => num(field(o, 'spec', 'replicas') ?? 1), {
      type: 'integer',
    }),
    col('Current', 'Number of actual running pods.', (o) => num(field(o, 'status', 'replicas')), {
      type: 'integer',
    }),
    col('Ready', 'Number of ready pods.', (o) => num(field(o, 'status', 'readyReplicas')), {
      type: 'integer',
    }),
    AGE,
  ],
  services: [
    NAME,
    col('Type', 'The type of the service.', (o) => str(field(o, 'spec', 'type') ?? 'ClusterIP')),
    col('Cluster-IP', 'The IP address of the service.', (o) => str(field(o, 'spec', 'clusterIP'))),
    col('External-IP', 'The external IP address of the service.', (o) =>
      str(
        list(field(o, 'status', 'loadBalancer', 'ingress'))
          .map((i) => i.ip)
          .join(','),
      ),
    ),
    col('Port(s)', 'The ports of the service.', (o) =>
      str(
        list(field(o, 'spec', 'ports'))
          .map((p) => `${p.port}/${p.protocol ?? 'TCP'}`)
          .join(','),
      ),
    ),
    AGE,
  ],
  endpoints: [
    NAME,
    col('Endpoints', 'The endpoints of the service.', (o) =>
      str(
        list(field(o, 'subsets'))
          .flatMap((s) => list(s.addresses).flatMap((a) => list(s.ports).map((p) => `${a.ip}:${p.port}`)))
          .join(','),
      ),
    ),
    AGE,
  ],
  endpointslices: [
    NAME,
    col('AddressType', 'The address type of the slice.', (o) => str(field(o, 'addressType'))),
    col('Ports', 'The ports of the slice.', (o) =>
      str(
        list(field(o, 'ports'))
          .map((p) => String(p.port))
          .join(','),
      ),
    ),
    col('Endpoints', 'The addresses of the slice.', (o) =>
      str(
        list(field(o, 'endpoints'))
          .flatMap((e) => list(e.addresses as unknown).map(String))
          .join(','),
      ),
    ),
    AGE,
  ],
  deployments: [
    NAME,
    col(
      'Ready',
      'Number of the pod with ready state',
      (o) => `${num(field(o, 'status', 'readyReplicas'))}/${num(field(o, 'spec', 'replicas') ?? 1)}`,
    ),
    col(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      (o) => num(field(o, 'status', 'updatedReplicas')),
      { type: 'integer' },
    ),
    col(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      (o) => num(field(o, 'status', 'availableReplicas')),
      { type: 'integer' },
    ),
    AGE,
    col('Containers', 'Names of each container in the template.', (o) => containersOf(o, 'name'), {
      priority: 1,
    }),
    col('Images', 'Images referenced by each container in the template.', (o) => containersOf(o, 'image'), {
      priority: 1,
    }),
    col('Selector', 'Label selector for pods.', (o) => selectorText(field(o, 'spec', 'selector')), {
      priority: 1,
    }),
  ],
  nodegroups: [
    NAME,
    col('Alias', 'Display name of the node group.', (o) => str(field(o, 'spec', 'alias'))),
    col('Manager', 'Who manages the node group.', (o) => str(field(o, 'spec', 'manager'))),
    col('State', 'State of the node group.', (o) => str(field(o, 'status', 'state'))),
    AGE,
  ],
  workspaces: [NAME, AGE, WORKSPACE_NODEGROUP],
  workspacetemplates: [NAME, AGE, WORKSPACE_NODEGROUP],
  ippools: [NAME, AGE],
};

export const columnsFor = (resource: string): Column[] => TABLE_COLUMNS[resource] ?? [NAME, AGE];

/** The `includeObject` query parameter; kubectl's default is Metadata. */
export function includeObjectOf(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'Object') return obj;
  if (include === 'None') return undefined;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function tableOf(
  resource: string,
  objects: KubeObject[],
  resourceVersion: string,
  include: IncludeObject = 'Metadata',
  now = Date.now(),
): Table {
  const columns = columnsFor(resource);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(({ cell: _cell, ...definition }) => definition),
    rows: objects.map((obj) => {
      const row: TableRow = { cells: columns.map((c) => c.cell(obj, now)) };
      const object = rowObject(obj, include);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}
