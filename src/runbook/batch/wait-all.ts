/**
 * One watch-driven wait for many targets: every named target shows its expected group (undefined:
 * none). One LIST, then one watch on the collection (label-selected when all await the same
 * label), never a wait per target. Recorded as one wait; a wait that runs out names the targets
 * still elsewhere. Returns the objects last seen (the label-selected ones when selected).
 */
import { bindingKind, describeMark, groupOfTarget } from '../../binding-kinds';
import type { BindingKind } from '../../kapi/nodegroups';
import { type KubeObject, WaitTimeoutError } from '../../kube/reader';
import { RESOURCES } from '../../kube/resources';
import type { RunContext } from '../context';
import { VerifyError } from '../errors';

/** target name -> the group it should show (undefined: no group). */
export type Expected = ReadonlyMap<string, string | undefined>;

const LISTED = 10;

/** The targets not (yet) as expected, among `items`. */
function lagging(kind: BindingKind, expected: Expected, items: readonly KubeObject[]): string[] {
  const byName = new Map(items.map((o) => [o.metadata.name, o]));
  const out: string[] = [];
  for (const [name, group] of expected) if (groupOfTarget(kind, byName.get(name)) !== group) out.push(name);
  return out;
}

/** What a wait over many objects needs: the reader with its deadline, and the evidence. */
export interface WaitContext {
  verifier: Pick<RunContext['verifier'], 'kube' | 'timeoutMs' | 'list'>;
  record: RunContext['record'];
}

export async function waitForGroups(
  ctx: WaitContext,
  kind: BindingKind,
  expected: Expected,
  description: string,
): Promise<KubeObject[]> {
  if (expected.size === 0) return [];
  const { mark } = bindingKind(kind);
  const groups = new Set(expected.values());
  const only = groups.size === 1 ? [...groups][0] : undefined;
  // All awaiting one label value: watch only the objects carrying it (far fewer events to read).
  const labelSelector = mark.on === 'label' && only !== undefined ? `${mark.key}=${only}` : undefined;
  const resource = RESOURCES[kind];
  const started = performance.now();
  try {
    const items = await ctx.verifier.kube.waitForList(
      resource,
      (items) => lagging(kind, expected, items).length === 0,
      {
        timeoutMs: ctx.verifier.timeoutMs,
        description,
        ...(labelSelector ? { labelSelector } : {}),
      },
    );
    ctx.record({ kind: 'wait', description, ok: true, durationMs: performance.now() - started });
    return items;
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    ctx.record({ kind: 'wait', description, ok: false, durationMs: performance.now() - started });
    const behind = lagging(kind, expected, await ctx.verifier.list(kind));
    const named =
      behind.slice(0, LISTED).join(', ') + (behind.length > LISTED ? `, ... (${behind.length} in all)` : '');
    throw new VerifyError(
      `expected ${description}, but it did not hold within ${ctx.verifier.timeoutMs} ms: ` +
        `${behind.length} of ${expected.size} ${kind}(s) show another ${describeMark(kind)}: ${named}; ` +
        `inspect with: kubectl get ${resource.plural} ${mark.on === 'label' ? `-L ${mark.key}` : '-o yaml'}`,
    );
  }
}
