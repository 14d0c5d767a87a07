/**
 * The sandbox's control API (admin only): GET /sandbox/v1/faults, PUT|DELETE
 * /sandbox/v1/faults/{name}, POST /sandbox/v1/reset.
 */
import { type RequestContext, readObjectBody, sendJSON } from '../http/http';
import { StatusError } from '../store/status';
import type { Faults } from './registry';
import { describeSchema } from './schema';

const FAULT_PATH = /^\/sandbox\/v1\/faults\/([^/]+)$/;

const notAllowed = (method: string, path: string, allowed: string) =>
  new StatusError('MethodNotAllowed', `method ${method} is not allowed on ${path} (allowed: ${allowed})`);

async function readOptionalBody(ctx: RequestContext): Promise<unknown> {
  const declared = ctx.req.headers['content-length'];
  if (declared === '0' || (declared === undefined && !ctx.req.headers['transfer-encoding'])) return {};
  try {
    return await readObjectBody(ctx.req, ['application/json']);
  } catch (err) {
    if (err instanceof StatusError && /empty/.test(err.message)) return {};
    throw err;
  }
}

export function createControl(faults: Faults, deps: { reset(): void }) {
  return async (ctx: RequestContext): Promise<void> => {
    if (!ctx.user || ctx.user.readOnly) {
      throw new StatusError(
        'Forbidden',
        `user "${ctx.user?.name ?? 'system:anonymous'}" cannot change the sandbox: the fault and reset API needs the admin user`,
      );
    }
    const { method, path } = ctx;
    if (path === '/sandbox/v1/faults') {
      if (method !== 'GET') throw notAllowed(method, path, 'GET');
      const schemas = Object.fromEntries(
        faults.modules.map((m) => [m.name, { summary: m.summary, options: describeSchema(m.options) }]),
      );
      return sendJSON(ctx.res, 200, { faults: faults.list(), available: faults.names, schemas });
    }
    if (path === '/sandbox/v1/reset') {
      if (method !== 'POST') throw notAllowed(method, path, 'POST');
      faults.clear();
      deps.reset();
      return sendJSON(ctx.res, 200, { reset: true, faults: [] });
    }
    const match = FAULT_PATH.exec(path);
    if (!match) throw new StatusError('NotFound', `the sandbox has no control route ${path}`);
    const name = match[1]!;
    if (method === 'PUT') {
      const body = await readOptionalBody(ctx);
      return sendJSON(ctx.res, 200, faults.set(name, body));
    }
    if (method === 'DELETE') return sendJSON(ctx.res, 200, { name, removed: faults.remove(name) });
    throw notAllowed(method, path, 'PUT, DELETE');
  };
}
