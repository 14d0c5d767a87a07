/** Run the checks, in the guide's order, over one evidence snapshot. */
import { checkConfig } from './check-config';
import { checkController } from './check-controller';
import { checkFinalizer, checkResourceExists } from './check-group';
import { checkIPPool } from './check-ippool';
import { checkNamespacesAndWorkspaces } from './check-namespaces';
import { checkNodeLabels } from './check-nodes';
import { gatherEvidence } from './gather';
import type { CheckStatus, ClusterSource, Evidence, Finding, Target } from './types';

const CHECK_FUNCTIONS: ((ev: Evidence) => Finding[])[] = [
  checkResourceExists,
  checkFinalizer,
  checkNodeLabels,
  checkNamespacesAndWorkspaces,
  checkIPPool,
  checkConfig,
  checkController,
];

export interface Diagnosis {
  target: Target;
  /** No check failed (warnings allowed). */
  healthy: boolean;
  counts: Record<CheckStatus, number>;
  findings: Finding[];
}

export function runChecks(ev: Evidence): Diagnosis {
  const findings = CHECK_FUNCTIONS.flatMap((check) => check(ev));
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const f of findings) counts[f.status]++;
  return { target: ev.target, healthy: counts.fail === 0, counts, findings };
}

/** Gather the evidence for `target` and diagnose it. A missing group is a finding, not an error. */
export async function diagnose(source: ClusterSource, target: Target): Promise<Diagnosis> {
  return runChecks(await gatherEvidence(source, target));
}
