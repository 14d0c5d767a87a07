/**
 * kapi-errors: chosen routes answer an error status, as a failing backend does: text/plain on
 * KAPI routes (as ks-apiserver), a Status elsewhere. With `count` it ends itself after that many.
 */
import { STATUS_CODES } from 'node:http';
import { type RequestContext, sendJSON, sendText } from '../http/http';
import { defineFault } from './fault';
import { type RouteMatch, routeMatches, routeOptions } from './route-match';
import { integer } from './schema';

const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function answerInjectedError(ctx: RequestContext, status: number): void {
  const text = `${status} ${STATUS_CODES[status] ?? 'Error'}: the server is currently unable to handle the request`;
  if (ctx.path.startsWith('/kapis/') || ctx.path.startsWith('/clusters/')) {
    sendText(ctx.res, status, text);
    return;
  }
  sendJSON(ctx.res, status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: text,
    reason: STATUS_REASONS[status] ?? (status >= 500 ? 'InternalError' : 'BadRequest'),
    code: status,
  });
}

export const kapiErrors = defineFault<RouteMatch & { status: number; count?: number }>({
  name: 'kapi-errors',
  summary: 'matching routes answer an error status (optionally only `count` times)',
  options: {
    ...routeOptions(),
    status: integer(400, 599, 'the HTTP status to answer'),
    count: integer(1, 1_000_000, 'answers before the fault switches itself off', false),
  },
  start(fault) {
    if (fault.options.count !== undefined) fault.remaining = fault.options.count;
  },
  async intercept(fault, ctx, end) {
    if (!routeMatches(fault.options, ctx.method, ctx.path)) return 'pass';
    if (fault.remaining !== undefined && --fault.remaining <= 0) end();
    answerInjectedError(ctx, fault.options.status);
    return 'answered';
  },
});
