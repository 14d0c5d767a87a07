/**
 * Planned vs actual: per scenario, the plan's writes on the twin against the apply's writes on
 * live (run-unique names and the target's kubeconfig left out), their answers, and the scenario's
 * status. An empty list: "as planned".
 */
import type { PlannedScenario } from './plan-file';
import { comparable, type PlannedWrite, type ScenarioWrites } from './writes';

export interface ApplyDifference {
  scenario: string;
  what: string;
}

const shown = (w: PlannedWrite) => (w.via === 'http' ? `${w.method} ${w.path}` : w.path);
/** The random part of a run id names the run's objects (scenario-names.ts runTag). */
export const tagOf = (runId: string) => runId.split('-').pop() ?? runId;

export function compareWithPlan(
  planned: readonly PlannedScenario[],
  actual: readonly ScenarioWrites[],
  statuses: ReadonlyMap<string, string>,
  runIds: { plan: string; apply: string },
): ApplyDifference[] {
  const tags = [tagOf(runIds.plan), tagOf(runIds.apply)];
  const diffs: ApplyDifference[] = [];
  const remaining = [...actual];
  for (const p of planned) {
    const at = remaining.findIndex((a) => a.key === p.key);
    if (at < 0) {
      diffs.push({ scenario: p.name, what: 'planned, but did not run' });
      continue;
    }
    const a = remaining.splice(at, 1)[0]!;
    const status = statuses.get(p.key);
    if (status && status !== p.status)
      diffs.push({ scenario: p.name, what: `${p.status} on the twin, ${status} on live` });
    const want = p.writes.map((w) => comparable(w, tags));
    const got = a.writes.map((w) => comparable(w, tags));
    const len = Math.max(want.length, got.length);
    for (let i = 0; i < len; i++) {
      const pw = p.writes[i];
      const aw = a.writes[i];
      if (want[i] === got[i]) {
        if (pw?.result !== aw?.result)
          diffs.push({
            scenario: p.name,
            what: `${shown(pw!)} answered ${aw?.result} on live, ${pw?.result} on the twin`,
          });
        continue;
      }
      if (pw && !got.includes(want[i]!))
        diffs.push({ scenario: p.name, what: `planned ${shown(pw)} was not sent` });
      if (aw && !want.includes(got[i]!))
        diffs.push({ scenario: p.name, what: `sent ${shown(aw)}, not in the plan` });
      if (pw && aw && got.includes(want[i]!) && want.includes(got[i]!))
        diffs.push({
          scenario: p.name,
          what: `writes in another order: ${shown(aw)} where ${shown(pw)} was planned`,
        });
    }
  }
  for (const a of remaining) diffs.push({ scenario: a.name, what: 'ran, but is not in the plan' });
  return diffs;
}
