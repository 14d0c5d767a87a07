/**
 * member-unreachable: a member cluster's tunnel is down. Every request the host dispatches to it
 * (`/clusters/{name}/...`, `/kapis/clusters/{name}/...`) answers as KubeSphere's dispatcher does for
 * a cluster that is not ready, and the cluster list shows its Ready condition False.
 */
import { type RequestContext, sendText } from '../http/http';
import { defineFault } from './fault';
import { text } from './schema';

const memberOf = (path: string): string | undefined =>
  /^\/(?:kapis\/)?clusters\/([^/]+)(?:\/|$)/.exec(path)?.[1];

export const memberUnreachable = defineFault<{ cluster: string }>({
  name: 'member-unreachable',
  summary: 'one member cluster cannot be reached through the host (its cluster list entry is not Ready)',
  options: { cluster: text('the member cluster, e.g. "member-2"') },
  async intercept(fault, ctx: RequestContext) {
    if (memberOf(ctx.path) !== fault.options.cluster) return 'pass';
    sendText(ctx.res, 503, `cluster ${fault.options.cluster} is not ready`);
    return 'answered';
  },
  blocks(options, step) {
    return step.step === 'reach-member' && step.cluster === options.cluster;
  },
});
