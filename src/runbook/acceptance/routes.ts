/**
 * The nodegroup API route by route, as acceptance proves it: every route of the guide answers
 * (through the safe flow, on disposable objects), and a read-only user is refused every write
 * with 403. A write the viewer should not have been allowed can only touch a disposable name:
 * the binds go to a group that does not exist, and the create is in the ledger before it is sent.
 */

import { BINDING_KIND_TABLE, type BindingKind } from '../../binding-kinds';
import type { KapiRequest } from '../../kapi/client';
import { HttpError } from '../../kapi/errors';
import { nodegroupRequests } from '../../kapi/nodegroups';
import { collectionPath, RESOURCES } from '../../kube/resources';
import type { Flow } from '../flow/flow';
import { bind, unbind } from '../operations/binding';
import {
  createNodeGroup,
  deleteNodeGroup,
  getNodeGroup,
  listNodeGroups,
  patchNodeGroup,
  verifyGone,
} from '../operations/nodegroup';
import type { UserSession } from './other-user';

/** The guide's three binding kinds (test-defined kinds aside). */
const KINDS: readonly BindingKind[] = BINDING_KIND_TABLE.map((k) => k.kind);

export interface RouteResult {
  route: string;
  ok: boolean;
  detail: string;
}

async function attempt(route: string, run: () => Promise<unknown>): Promise<RouteResult> {
  try {
    await run();
    return { route, ok: true, detail: 'answered and verified' };
  } catch (err) {
    return { route, ok: false, detail: (err as Error).message.split('\n')[0]! };
  }
}

/**
 * create, list, get, patch, bind and unbind of each kind, delete, on group `group` (created here)
 * and the given targets; each write verified by the safe flow.
 */
export async function everyRoute(
  flow: Flow,
  group: string,
  targets: Record<BindingKind, string>,
): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  results.push(
    await attempt('POST /nodegroups (create)', () => createNodeGroup(flow, group, { alias: 'acceptance' })),
  );
  results.push(
    await attempt('GET /nodegroups (list)', async () => {
      const list = await listNodeGroups(flow, { name: group });
      if (!list.items.some((g) => g.metadata.name === group))
        throw new Error(`the list does not include ${group}`);
    }),
  );
  results.push(
    await attempt('GET /nodegroups/{ng} (get)', async () => {
      if (!(await getNodeGroup(flow, group))) throw new Error(`nodegroup ${group} not found`);
    }),
  );
  results.push(
    await attempt('PATCH /nodegroups/{ng} (patch)', () =>
      patchNodeGroup(flow, group, { description: 'acceptance probe' }),
    ),
  );
  for (const kind of KINDS) {
    results.push(
      await attempt(`POST /nodegroups/{ng}/${kind}s/{${kind}} (bind)`, () =>
        bind(flow, kind, group, targets[kind]),
      ),
    );
    results.push(
      await attempt(`DELETE /nodegroups/{ng}/${kind}s/{${kind}} (unbind)`, () =>
        unbind(flow, kind, group, targets[kind]),
      ),
    );
  }
  results.push(
    await attempt('DELETE /nodegroups/{ng} (delete)', async () => {
      await deleteNodeGroup(flow, group);
      await verifyGone(flow, group);
    }),
  );
  return results;
}

export interface WriteAttempt {
  request: string;
  status: number | 'sent';
  forbidden: boolean;
}

async function statusOf(session: UserSession, req: KapiRequest): Promise<WriteAttempt> {
  const request = `${req.method} ${req.path}`;
  try {
    await session.kapi.call(req);
    return { request, status: 'sent', forbidden: false };
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { request, status: err.status, forbidden: err.status === 403 };
  }
}

/**
 * Every kind of write a read-only user must be refused, sent as that user: binds and unbinds to
 * the (absent) group `probe`, its patch and delete, a no-op patch of `node`, then the create of
 * `probe`, whose ledger entry (made through the Flow first) undoes it if the server wrongly
 * accepts it; when it is refused, the entry is settled at once.
 */
export async function tryWrites(
  flow: Flow,
  session: UserSession,
  probe: string,
  node: string,
): Promise<WriteAttempt[]> {
  const out: WriteAttempt[] = [];
  for (const kind of KINDS) {
    out.push(await statusOf(session, nodegroupRequests.bind(kind, probe, `${probe}-${kind}`)));
    out.push(await statusOf(session, nodegroupRequests.unbind(kind, probe, `${probe}-${kind}`)));
  }
  out.push(await statusOf(session, nodegroupRequests.patchSpec(probe, { description: 'viewer write' })));
  out.push(await statusOf(session, nodegroupRequests.delete(probe)));
  out.push(
    await statusOf(session, {
      method: 'PATCH',
      path: `${collectionPath(RESOURCES.node)}/${encodeURIComponent(node)}`,
      body: {},
      contentType: 'application/merge-patch+json',
    }),
  );
  const [entry] = flow.record([{ op: 'create-nodegroup', name: probe }]);
  const created = await statusOf(session, nodegroupRequests.create(probe, {}));
  if (created.forbidden) await flow.undoNow(entry!);
  out.push(created);
  return out;
}
