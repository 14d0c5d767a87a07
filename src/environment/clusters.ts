/**
 * Which member clusters a fleet run goes over: `--clusters all|a,b,c` (or `clusters:` in the
 * environment file: `all`, a list, or a comma-separated string). Names are checked against the
 * clusters the host knows (KubeSphere's cluster list); an unknown one is refused, listing the known.
 */
import { EnvironmentError } from './errors';

export type ClusterChoice = 'all' | string[];

export const CLUSTERS_FLAG = '--clusters';
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const bad = (where: string, what: string) =>
  new EnvironmentError(
    'ENV_UNKNOWN_CLUSTER',
    `${where} ${what}; e.g. ${CLUSTERS_FLAG} all or ${CLUSTERS_FLAG} member-1,member-2`,
  );

/** `all`, `a,b,c` or a YAML list of names; duplicates and malformed names are refused. */
export function parseClusterChoice(value: unknown, where = CLUSTERS_FLAG): ClusterChoice {
  const list =
    typeof value === 'string'
      ? value.split(',').map((s) => s.trim())
      : Array.isArray(value)
        ? value
        : undefined;
  if (!list || list.length === 0)
    throw bad(where, `must be "all" or cluster names, got ${JSON.stringify(value)}`);
  if (list.length === 1 && list[0] === 'all') return 'all';
  const names: string[] = [];
  for (const name of list) {
    if (typeof name !== 'string' || !CLUSTER_NAME.test(name))
      throw bad(
        where,
        `has ${JSON.stringify(name)}, which is not a cluster name (lower-case letters, digits, -)`,
      );
    if (name === 'all') throw bad(where, 'mixes "all" with cluster names');
    if (names.includes(name)) throw bad(where, `names ${name} twice`);
    names.push(name);
  }
  return names;
}

/** Take `--clusters X` / `--clusters=X` out of argv. */
export function takeClustersFlag(argv: readonly string[]): { choice?: ClusterChoice; rest: string[] } {
  const rest: string[] = [];
  let choice: ClusterChoice | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === CLUSTERS_FLAG || arg.startsWith(`${CLUSTERS_FLAG}=`)) {
      const value = arg === CLUSTERS_FLAG ? argv[++i] : arg.slice(CLUSTERS_FLAG.length + 1);
      if (value === undefined || value.startsWith('-'))
        throw bad(CLUSTERS_FLAG, 'needs "all" or a comma-separated list of member clusters');
      choice = parseClusterChoice(value);
    } else rest.push(arg);
  }
  return choice ? { choice, rest } : { rest };
}

/**
 * The members the run goes over, in the host's order for `all`; the host cluster itself is not a
 * member. An unknown name is refused with the known members.
 */
export function resolveClusters(choice: ClusterChoice, known: readonly string[], host = 'host'): string[] {
  const members = known.filter((n) => n !== host);
  if (choice === 'all') {
    if (members.length === 0)
      throw new EnvironmentError(
        'ENV_UNKNOWN_CLUSTER',
        `${CLUSTERS_FLAG} all: the host lists no member clusters (only ${known.join(', ') || 'none'})`,
      );
    return members;
  }
  const unknown = choice.filter((n) => !members.includes(n));
  if (unknown.length > 0)
    throw new EnvironmentError(
      'ENV_UNKNOWN_CLUSTER',
      `unknown cluster${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: the member clusters are ${members.join(', ') || '(none)'}`,
    );
  return [...choice];
}
