/**
 * plan.json from what the plan's run recorded: the scenarios' step results (cucumber's messages,
 * through the change tracker), their writes (the run's evidence) and the objects they changed
 * (the twin's store), plus the import's request log and the facts an apply checks.
 */

import type { ScenarioOutcome } from '../report/run-collector';
import type { RunRecord } from '../runbook/evidence';
import { diffFields } from '../twin/diff';
import type { TwinImport } from '../twin/import';
import type { FeatureHash } from './facts';
import { modelConstants } from './facts';
import { PLAN_VERSION, type PlanDocument, type PlannedScenario } from './plan-file';
import type { ObjectChange, ScenarioChanges, StoredObject } from './twin-changes';
import { runWrites, scenarioKey } from './writes';

export const MODEL_NOTE =
  'This plan is a prediction: the runbooks ran against a twin, an embedded sandbox started from the state read from live, ' +
  "so what live does is predicted by the sandbox's model of the nodegroup server. The (model) constants below are " +
  'where that model chooses what the public sources do not say; the apply compares planned and actual writes.';

const keyOf = (resource: string, o: StoredObject) =>
  `${resource}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** Objects the twin's controller changed at start-up (imported state vs the baseline). */
export function startupChanges(
  imported: Record<string, readonly StoredObject[]>,
  baseline: Record<string, readonly StoredObject[]>,
): ObjectChange[] {
  const before = new Map<string, [string, StoredObject]>();
  for (const [resource, list] of Object.entries(imported))
    for (const o of list) before.set(keyOf(resource, o), [resource, o]);
  const after = new Map<string, [string, StoredObject]>();
  for (const [resource, list] of Object.entries(baseline))
    for (const o of list) after.set(keyOf(resource, o), [resource, o]);
  const out: ObjectChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [resource, b] = before.get(key) ?? after.get(key)!;
    const was = before.get(key)?.[1];
    const now = after.get(key)?.[1];
    const fields = diffFields(was, now);
    if (fields.length === 0 && (was === undefined) === (now === undefined)) continue;
    out.push({
      resource,
      name: b.metadata.name ?? '',
      ...(b.metadata.namespace ? { namespace: b.metadata.namespace } : {}),
      steps: ['the twin controller at start-up'],
      ...(was ? { before: was } : {}),
      ...(now ? { after: now } : {}),
      fields,
      restored: false,
    });
  }
  return out;
}

export interface PlanInputs {
  planId: string;
  environment: PlanDocument['environment'];
  args: string[];
  vars: Record<string, string>;
  features: FeatureHash[];
  imported: Pick<TwinImport, 'requests' | 'notServed' | 'state'>;
  startup: ObjectChange[];
  outcomes: ScenarioOutcome[];
  tracked: ScenarioChanges[];
  evidence: RunRecord[];
  now?: Date;
}

export function buildPlan(input: PlanInputs): PlanDocument {
  const writes = runWrites(input.evidence);
  const used = new Set<number>();
  const scenarios: PlannedScenario[] = input.tracked.map((t, i) => {
    const key = scenarioKey(t);
    const at = writes.findIndex((w, j) => !used.has(j) && w.key === key);
    if (at >= 0) used.add(at);
    const outcome =
      input.outcomes.find((o, j) => j === i && scenarioKey(o) === key) ??
      input.outcomes.find((o) => scenarioKey(o) === key);
    const status = outcome?.outcome.status ?? 'UNKNOWN';
    return {
      key,
      name: t.name,
      uri: t.uri,
      status,
      ...(outcome?.step && status !== 'PASSED' ? { failedStep: outcome.step } : {}),
      ...(outcome?.outcome.message && status !== 'PASSED' ? { message: outcome.outcome.message } : {}),
      steps: t.steps,
      writes: at >= 0 ? writes[at]!.writes : [],
      changes: t.changes,
    };
  });
  const changed = new Set<string>();
  for (const s of scenarios)
    for (const c of s.changes)
      if (c.fields.length && c.resource !== 'events')
        changed.add(`${c.resource}/${c.namespace ?? ''}/${c.name}`);
  const requests = input.imported.requests;
  return {
    version: PLAN_VERSION,
    planId: input.planId,
    createdAt: (input.now ?? new Date()).toISOString(),
    environment: input.environment,
    args: input.args,
    vars: input.vars,
    features: input.features,
    model: { note: MODEL_NOTE, constants: modelConstants() },
    import: {
      requests,
      onlyReads: requests.every(
        (r) => r.method === 'GET' || (r.method === 'POST' && r.path === '/oauth/token'),
      ),
      notServed: input.imported.notServed,
      objects: Object.values(input.imported.state.objects).reduce((n, list) => n + list.length, 0),
    },
    startup: input.startup,
    runId: input.planId,
    summary: {
      passed: scenarios.filter((s) => s.status === 'PASSED').length,
      failed: scenarios.filter((s) => s.status === 'FAILED').length,
      skipped: scenarios.filter((s) => s.status === 'SKIPPED').length,
      other: scenarios.filter((s) => !['PASSED', 'FAILED', 'SKIPPED'].includes(s.status)).length,
      objectsChanged: changed.size,
    },
    scenarios,
  };
}
