/** latency: chosen routes answer late. */
import { setTimeout as delay } from 'node:timers/promises';
import { defineFault } from './fault';
import { type RouteMatch, routeMatches, routeOptions } from './route-match';
import { integer } from './schema';

const MAX_LATENCY_MS = 60_000;

export const latency = defineFault<RouteMatch & { ms: number }>({
  name: 'latency',
  summary: 'matching routes answer after a delay',
  options: { ...routeOptions(), ms: integer(0, MAX_LATENCY_MS, 'the delay in milliseconds') },
  async intercept(fault, ctx) {
    if (routeMatches(fault.options, ctx.method, ctx.path)) await delay(fault.options.ms);
    return 'pass';
  },
});
