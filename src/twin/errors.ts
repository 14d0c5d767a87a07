/** Errors of the twin import: each names what could not be read and what to do about it. */
import { CodedError } from '../coded-error';
import type { ForbiddenRead } from './reads';

const qualified = (f: ForbiddenRead) => (f.group ? `${f.resource}.${f.group}` : f.resource);

/** `list on ippools.network.kubesphere.io (cluster-wide)` and the kubectl command that checks it. */
export function describePermission(f: ForbiddenRead): string {
  const where = f.namespace ? `in namespace ${f.namespace}` : 'cluster-wide';
  const check = `kubectl auth can-i ${f.verb} ${qualified(f)}${f.namespace ? ` -n ${f.namespace}` : ''}`;
  return (
    `${f.kind} (${qualified(f)}): 403 Forbidden${f.serverMessage ? ` (${f.serverMessage})` : ''}; ` +
    `the credentials need RBAC "${f.verb}" on "${f.resource}" in API group "${f.group}" ${where} (check: ${check})`
  );
}

/** The credentials may not read some kinds the twin needs: every such kind, with its permission. */
export class TwinForbiddenError extends CodedError<'TWIN_FORBIDDEN'> {
  readonly code = 'TWIN_FORBIDDEN';
  constructor(readonly forbidden: readonly ForbiddenRead[]) {
    super(
      `the twin cannot read ${forbidden.length === 1 ? 'one kind' : `${forbidden.length} kinds`} it needs ` +
        `(nothing was written):\n${forbidden.map((f) => `  - ${describePermission(f)}`).join('\n')}`,
    );
  }
}

/** A twin file that cannot be used: unreadable, not JSON, or not written by a twin import. */
export class TwinFileError extends CodedError<'TWIN_FILE'> {
  readonly code = 'TWIN_FILE';
}
