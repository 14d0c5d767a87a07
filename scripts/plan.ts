/**
 * `nodegroup-runbooks plan --env NAME [paths]` (`npm run runbooks -- --env NAME --plan [paths]`):
 * import the twin of the live environment (reads only), start an embedded sandbox from it, run the
 * runbooks against it as against that environment (its names, variables, `protected`, opt-in),
 * and write reports/plans/<plan-id>/: plan.json, plan.md, twin.json, the run's ledger and evidence.
 * Nothing is written to live.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildPlan, startupChanges } from '../src/plan/build';
import { type FeatureHash, sha256 } from '../src/plan/facts';
import { liveTarget, refusal } from '../src/plan/live-target';
import { TWIN_FILE, writePlan } from '../src/plan/plan-file';
import { renderPlanMarkdown } from '../src/plan/plan-md';
import { PLAN_TWIN_ENV } from '../src/plan/twin-access';
import { ChangeTracker, type WatchableStore } from '../src/plan/twin-changes';
import { readRunEvidence } from '../src/plan/writes';
import { RunCollector } from '../src/report/run-collector';
import { REPORTS_DIR_ENV, RUN_ID_ENV, reportsDirIn, runsDir } from '../src/runbook/config';
import { newRunId } from '../src/runbook/scenario-names';
import { importTwin, writeTwinFile } from '../src/twin/import';
import { runRunbooks } from './run-runbooks';

type Out = { write(text: string): unknown };
type Env = Record<string, string | undefined>;

export const PLAN_DIR_ENV = 'RUNBOOK_PLAN_DIR';

/** Wait until the twin's store stops changing (its controller settled on the imported state). */
async function settled(store: { resourceVersion: string }, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  let last = store.resourceVersion;
  let quiet = 0;
  while (quiet < 3 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    if (store.resourceVersion === last) quiet++;
    else [last, quiet] = [store.resourceVersion, 0];
  }
}

export async function plan(
  argv: string[],
  out: Out = process.stdout,
  env: Env = process.env,
): Promise<number> {
  let live: ReturnType<typeof liveTarget>;
  let imported: Awaited<ReturnType<typeof importTwin>>;
  try {
    live = liveTarget(argv, env, 'plan');
    imported = await importTwin(live.target);
  } catch (err) {
    const refused = refusal(err);
    if (!refused) throw err;
    out.write(`plan: ${refused.message} (no plan was made; nothing was written to live)\n`);
    return refused.code;
  }
  const planId = newRunId();
  const dir = join(reportsDirIn(env), 'plans', planId);
  mkdirSync(dir, { recursive: true });
  writeTwinFile(join(dir, TWIN_FILE), imported);
  const { startSandbox } = require('../src/sandbox/sandbox') as typeof import('../src/sandbox/sandbox');
  const { KINDS, isStorageVersion } =
    require('../src/sandbox/store/kinds') as typeof import('../src/sandbox/store/kinds');
  // The store adopts (freezes) what it is given: give it its own copy of the imported state.
  const twin = await startSandbox({ state: structuredClone(imported.state) });
  const saved = { ...env };
  const tracker = new ChangeTracker(
    twin.store as unknown as WatchableStore,
    KINDS.filter(isStorageVersion).map((k) => k.resource),
  );
  try {
    await settled(twin.store);
    const startup = startupChanges(imported.state.objects, twin.store.dump().objects);
    const outcomes = new RunCollector();
    const features = new Map<string, FeatureHash>();
    Object.assign(env, {
      [PLAN_TWIN_ENV]: JSON.stringify({
        host: twin.url,
        kubeconfig: twin.kubeconfigPath,
        username: twin.username,
        password: twin.password,
      }),
      [PLAN_DIR_ENV]: dir,
      [REPORTS_DIR_ENV]: dir,
      [RUN_ID_ENV]: planId,
    });
    const code = await runRunbooks(argv, out, {
      onMessage: (e) => {
        tracker.onMessage(e);
        outcomes.onMessage(e);
        if (e['source'])
          features.set(e['source'].uri, { uri: e['source'].uri, sha256: sha256(e['source'].data) });
      },
      // In this process, so the store's events and the messages come in step.
      configure: (rc) => {
        rc.runtime.parallel = 0;
      },
    });
    if (tracker.scenarios.length === 0) {
      out.write(`plan: no scenario ran on the twin (exit ${code}); no plan was made\n`);
      return code || 1;
    }
    const document = buildPlan({
      planId,
      environment: {
        name: live.selection.environment.name,
        host: live.target.host,
        kubeServer: imported.readSet.source.kubeServer,
        protected: live.config.environment.protected,
        allowDestructive: live.config.allowDestructive,
      },
      args: live.selection.rest,
      vars: live.config.vars,
      features: [...features.values()],
      imported,
      startup,
      outcomes: outcomes.run.scenarios,
      tracked: tracker.scenarios,
      evidence: readRunEvidence(runsDir(dir, planId)),
    });
    writePlan(dir, document, renderPlanMarkdown(document));
    const s = document.summary;
    const near = relative(process.cwd(), dir);
    const where = near && !near.startsWith('..') ? near : dir;
    out.write(
      `plan ${where}: on the twin of ${document.environment.name}, ${s.passed} scenario(s) would pass, ${s.failed} would fail` +
        `${s.skipped ? `, ${s.skipped} skipped` : ''}${s.other ? `, ${s.other} other (undefined, pending, ambiguous)` : ''}; ${s.objectsChanged} object(s) would change\n` +
        (document.startup.length
          ? `  the twin's model disagreed with live on ${document.startup.length} object(s) at start-up (see plan.md)\n`
          : '') +
        `  ${join(where, 'plan.md')}\n  live saw only reads (${imported.requests.length} requests); apply it: nodegroup-runbooks apply --env ${document.environment.name} ${where}\n`,
    );
    return s.failed || s.other ? 1 : 0;
  } finally {
    tracker.stop();
    await twin.stop();
    for (const key of [PLAN_TWIN_ENV, PLAN_DIR_ENV, REPORTS_DIR_ENV, RUN_ID_ENV]) {
      if (saved[key] === undefined) delete env[key];
      else env[key] = saved[key];
    }
  }
}
