/** `request METHOD PATH [BODY]`: checked before sending, as the server would check it. */
import { KAPI_PREFIX } from '../constants';
import type { KapiRequest } from '../kapi/client';
import { UsageError } from '../kapi/errors';
import { checkName } from '../kapi/names';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const FORM = 'usage: nodegroup-api request METHOD PATH [BODY]';

export function rawRequest(
  method: string,
  path: string,
  body: string | undefined,
  cluster?: string,
): KapiRequest {
  const verb = method.toUpperCase() as KapiRequest['method'];
  if (!METHODS.includes(verb)) {
    throw new UsageError(`unknown method '${method}': use one of ${METHODS.join(', ')}`, FORM);
  }
  if (!path.startsWith('/') || /\s/.test(path)) {
    throw new UsageError(
      `path '${path}' must start with '/' and contain no spaces`,
      `e.g. nodegroup-api request GET ${KAPI_PREFIX}/nodegroups`,
    );
  }
  const req: KapiRequest = { method: verb, path: cluster ? clusterPath(path, cluster) : path };
  if (body === undefined) {
    if (verb === 'PATCH') throw new UsageError('PATCH needs a BODY: a JSON Patch array', patchHint());
    return req;
  }
  if (verb === 'GET' || verb === 'DELETE') throw new UsageError(`${verb} takes no BODY`, FORM);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new UsageError(`BODY is not valid JSON: ${(err as Error).message}`, FORM);
  }
  if (verb === 'PATCH') {
    checkJsonPatch(value);
    req.contentType = 'application/json-patch+json';
  }
  req.body = value;
  return req;
}

const patchHint = () =>
  `usage: nodegroup-api request PATCH ${KAPI_PREFIX}/nodegroups/NAME '[{"op":"add","path":"/spec/alias","value":"x"}]'`;

function checkJsonPatch(value: unknown): void {
  if (!Array.isArray(value))
    throw new UsageError('a PATCH BODY must be a JSON array of JSON Patch operations', patchHint());
  value.forEach((op, index) => {
    const record = op as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new UsageError(`JSON Patch operation ${index} is not an object`, patchHint());
    }
    if (typeof record['op'] !== 'string' || !PATCH_OPS.has(record['op'])) {
      throw new UsageError(
        `JSON Patch operation ${index} has op ${JSON.stringify(record['op'])}: use one of ${[...PATCH_OPS].join(', ')}`,
        patchHint(),
      );
    }
    if (typeof record['path'] !== 'string')
      throw new UsageError(`JSON Patch operation ${index} has no "path" string`, patchHint());
    const needsValue = ['add', 'replace', 'test'].includes(record['op']);
    if (needsValue && !('value' in record))
      throw new UsageError(`JSON Patch operation ${index} (${record['op']}) has no "value"`, patchHint());
    if (['move', 'copy'].includes(record['op']) && typeof record['from'] !== 'string') {
      throw new UsageError(
        `JSON Patch operation ${index} (${record['op']}) has no "from" string`,
        patchHint(),
      );
    }
  });
}

/** The member-cluster form of a path: /kapis/clusters/C/... for KAPI, /clusters/C/... otherwise. */
function clusterPath(path: string, cluster: string): string {
  checkName('cluster', cluster);
  if (path.startsWith('/kapis/clusters/') || path.startsWith('/clusters/')) return path;
  if (path.startsWith('/kapis/')) return `/kapis/clusters/${cluster}/${path.slice('/kapis/'.length)}`;
  return `/clusters/${cluster}${path}`;
}
