/**
 * `nodegroup-runbooks apply --env NAME reports/plans/<plan-id>` (`npm run runbooks -- --env NAME
 * --apply DIR`): run a plan's runbooks (same files, same variables) against live, only when the
 * plan is of this environment, no feature file changed since (sha256), and nothing the plan read
 * drifted (checkDrift on the plan's twin). Each refusal comes before the first write, with its own
 * exit code. After the run: "as planned", or the differences between planned and actual writes.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../src/atomic-file';
import { compareWithPlan } from '../src/plan/compare';
import { PlanError } from '../src/plan/errors';
import { changedFeatures } from '../src/plan/facts';
import { liveTarget, refusal } from '../src/plan/live-target';
import { PLAN_MD, readPlan, TWIN_FILE } from '../src/plan/plan-file';
import { readRunEvidence, runWrites, scenarioKey } from '../src/plan/writes';
import { RunCollector } from '../src/report/run-collector';
import { SUMMARY_FILE } from '../src/report/summary-md';
import { RUN_ID_ENV, reportsDirIn, runsDir } from '../src/runbook/config';
import { newRunId } from '../src/runbook/scenario-names';
import { checkDrift, describeDrift } from '../src/twin/drift';
import { TwinFileError } from '../src/twin/errors';
import { readTwinFile } from '../src/twin/import';
import { runRunbooks } from './run-runbooks';

type Out = { write(text: string): unknown };
type Env = Record<string, string | undefined>;

/** The plan's runner arguments without its --world-parameters (the plan's variables replace them). */
function withoutWorldParameters(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--world-parameters') i++;
    else if (!args[i]!.startsWith('--world-parameters=')) out.push(args[i]!);
  }
  return out;
}

async function checked(argv: string[], env: Env) {
  const live = liveTarget(argv, env, 'apply');
  const positional = live.selection.rest;
  if (positional.length > 1 || positional[0]?.startsWith('-'))
    throw new PlanError(
      'PLAN_USAGE',
      `apply takes the plan folder only (got ${positional.join(' ')}); it runs the plan's own paths and variables`,
    );
  const dir = positional[0];
  const plan = readPlan(dir);
  let twin: ReturnType<typeof readTwinFile>;
  try {
    twin = readTwinFile(join(dir!, TWIN_FILE));
  } catch (err) {
    if (err instanceof TwinFileError)
      throw new PlanError('PLAN_DAMAGED', `the plan's twin is damaged: ${err.message}`);
    throw err;
  }
  const name = live.selection.environment.name;
  if (plan.environment.name !== name || plan.environment.host !== live.target.host)
    throw new PlanError(
      'PLAN_OTHER_ENVIRONMENT',
      `the plan ${dir} was made for environment ${plan.environment.name} (${plan.environment.host}), not ${name} (${live.target.host}); make a plan for ${name}`,
    );
  if (plan.environment.allowDestructive !== live.selection.allowDestructive)
    throw new PlanError(
      'PLAN_USAGE',
      plan.environment.allowDestructive
        ? `the plan ${plan.planId} was made with --allow-destructive: pass it to apply too, or make a plan without it`
        : `the plan ${plan.planId} was made without --allow-destructive, so its destructive steps were refused on the twin: apply without it, or make a plan with it`,
    );
  const changed = changedFeatures(plan.features);
  if (changed.length)
    throw new PlanError(
      'PLAN_FEATURES_CHANGED',
      `feature file(s) changed since the plan ${plan.planId}:\n  - ${changed.join('\n  - ')}\nmake a new plan (nodegroup-runbooks plan --env ${name} ...)`,
    );
  const drift = await checkDrift(twin.readSet, live.target, twin.state.objects);
  if (drift.drifted.length)
    throw new PlanError(
      'PLAN_DRIFT',
      `live changed since the plan ${plan.planId} read it, so the plan no longer predicts the apply:\n${describeDrift(drift)}\nmake a new plan`,
    );
  return { live, plan, dir: dir! };
}

export async function apply(
  argv: string[],
  out: Out = process.stdout,
  env: Env = process.env,
): Promise<number> {
  let ready: Awaited<ReturnType<typeof checked>>;
  try {
    ready = await checked(argv, env);
  } catch (err) {
    const refused = refusal(err);
    if (!refused) throw err;
    out.write(`apply: ${refused.message} (refused before any write; nothing was written to live)\n`);
    return refused.code;
  }
  const { live, plan, dir } = ready;
  out.write(
    `apply: plan ${plan.planId} is of ${live.selection.environment.name}, its feature files are unchanged and live has not drifted; running\n`,
  );
  env[RUN_ID_ENV] ??= newRunId();
  const runId = env[RUN_ID_ENV]!;
  const outcomes = new RunCollector();
  const args = [
    '--env',
    live.selection.environment.file ?? live.selection.environment.name,
    ...(live.selection.allowDestructive ? ['--allow-destructive'] : []),
    ...(live.selection.context ? ['--context', live.selection.context] : []),
    ...withoutWorldParameters(plan.args),
    '--world-parameters',
    JSON.stringify({ vars: plan.vars }),
  ];
  const code = await runRunbooks(args, out, { onMessage: (e) => outcomes.onMessage(e) });
  const runDir = runsDir(reportsDirIn(env), runId);
  const actual = runWrites(readRunEvidence(runDir));
  const statuses = new Map(outcomes.run.scenarios.map((s) => [scenarioKey(s), s.outcome.status]));
  const differences = compareWithPlan(plan.scenarios, actual, statuses, { plan: plan.planId, apply: runId });
  const planMd = join(dir, PLAN_MD);
  const lines = [
    `# Apply of plan ${plan.planId} (run ${runId})`,
    '',
    `Plan: [${planMd}](${relative(runDir, planMd)})`,
    '',
    differences.length === 0
      ? 'As planned: every write the plan predicted was sent, and no other.'
      : `Differences between planned and actual (${differences.length}):`,
    ...differences.map((d) => `- ${d.scenario}: ${d.what}`),
    '',
  ];
  writeFileAtomic(
    join(runDir, 'apply.json'),
    JSON.stringify(
      { plan: dir, planId: plan.planId, runId, asPlanned: differences.length === 0, differences },
      null,
      1,
    ),
  );
  writeFileAtomic(join(runDir, 'apply.md'), lines.join('\n'));
  // The run's summary.md (written by its formatter) links the plan and says how the apply went.
  const summaryMd = join(reportsDirIn(env), SUMMARY_FILE);
  if (existsSync(summaryMd))
    appendFileSync(
      summaryMd,
      `\n## Apply of plan ${plan.planId}\n\nPlan: ${planMd}\n\n${lines.slice(4).join('\n')}\n`,
    );
  out.write(
    differences.length === 0
      ? `apply: as planned (plan ${dir}); report ${join(runDir, 'apply.md')}\n`
      : `apply: not as planned (plan ${dir}):\n${differences.map((d) => `  - ${d.scenario}: ${d.what}`).join('\n')}\n  report ${join(runDir, 'apply.md')}\n`,
  );
  return code;
}
