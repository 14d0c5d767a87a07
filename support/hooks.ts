/**
 * Lifecycle of a run: BeforeAll builds the target (an embedded sandbox per process on the default
 * profile, the live environment otherwise) and checks it is reachable before any scenario runs;
 * After undoes the scenario's ledger entries in reverse even when it failed (a cleanup failure
 * fails the scenario), except for an `@operation` scenario (isOperation), whose changes are kept
 * for `npm run revert`; AfterAll proves the sandbox is back to its pre-run state (after reverting
 * what operations kept, in the sandbox only) and writes the evidence of the run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { After, AfterAll, Before, BeforeAll, BeforeStep, setDefaultTimeout } from '@cucumber/cucumber';
import { writeFileAtomic } from '../src/atomic-file';
import { twinAccessFromEnv } from '../src/plan/twin-access';
import { evidenceAttachments } from '../src/report/attachments';
import {
  isOperation,
  keptNote,
  liveAccess,
  newRunId,
  openRunContext,
  parseRunConfig,
  preflight,
  proveSandboxBack,
  RUN_ID_ENV,
  runsDir,
  SANDBOX_ONLY_TAG,
  STEP_TIMEOUT_MS,
  sandboxAccess,
  sandboxOnlySkipNote,
  snapshotState,
  undoScenario,
  WORKER_ID_ENV,
} from '../src/runbook';
import { processState, setProcessState } from './run-state';
import type { RunbookWorld } from './world';

setDefaultTimeout(STEP_TIMEOUT_MS);

BeforeAll(async function (this: { parameters: Record<string, unknown> }) {
  const config = parseRunConfig(this.parameters ?? {}, process.env);
  const runId = process.env[RUN_ID_ENV] ?? newRunId();
  const worker = process.env[WORKER_ID_ENV] ?? '0';
  if (config.target === 'sandbox') {
    // Loaded here: the coordinator of --parallel and live runs never start a sandbox (~150 ms).
    const { startSandbox } = require('../src/sandbox/sandbox') as typeof import('../src/sandbox/sandbox');
    const sandbox = await startSandbox();
    // A remote cluster's round trips, on every route of this worker's sandbox (a bench's setting).
    if (config.sandboxLatencyMs) sandbox.faults.set('latency', { pattern: '/', ms: config.sandboxLatencyMs });
    const ctx = openRunContext({ config, runId, worker, target: sandboxAccess(sandbox) });
    setProcessState({ ctx, sandbox, baseline: await snapshotState(ctx.verifier.kube) });
    return;
  }
  // A plan (src/plan) reaches the twin instead, with the live environment's config and guardrails.
  const target = twinAccessFromEnv(process.env) ?? liveAccess(config, process.env);
  const ctx = openRunContext({ config, runId, worker, target });
  setProcessState({ ctx });
  await preflight(ctx);
});

// Hook names are what the report shows for them.
Before(
  { name: 'start the scenario' },
  function (this: RunbookWorld, { pickle, gherkinDocument, testCaseStartedId }) {
    this.startScenario(testCaseStartedId, isOperation(pickle.tags));
    this.ctx.recorder.startScenario(
      pickle.name,
      gherkinDocument.uri ?? pickle.uri,
      pickle.tags.map((t) => t.name),
    );
  },
);

// Scenarios that stage a symptom run only against the embedded sandbox; elsewhere they are
// skipped, saying so, and the @diagnose-only scenario of the same runbook runs instead.
Before({ tags: SANDBOX_ONLY_TAG, name: 'skip where symptoms are not staged' }, function (this: RunbookWorld) {
  const note = sandboxOnlySkipNote([SANDBOX_ONLY_TAG], this.flow.guardTarget);
  if (!note) return undefined;
  this.flow.note(note);
  this.log(note);
  return 'skipped';
});

BeforeStep(function (this: RunbookWorld, { pickleStep }) {
  this.ctx.recorder.startStep(pickleStep.text);
});

After({ name: "undo the scenario's changes" }, async function (this: RunbookWorld, { testCaseStartedId }) {
  const { ledger, recorder } = this.ctx;
  recorder.startCleanup();
  const pending = ledger.pending(testCaseStartedId);
  if (pending.length === 0) return;
  if (this.operation) {
    // An operation keeps its changes: the entries stay pending, for `npm run revert`.
    this.flow.note(keptNote(pending.length, this.ctx.runId));
    return;
  }
  try {
    await undoScenario(this.ctx, pending);
  } finally {
    this.attachEvidence(evidenceAttachments(recorder.currentScenario?.cleanup ?? []));
  }
});

AfterAll(async () => {
  let state: ReturnType<typeof processState>;
  try {
    state = processState();
  } catch {
    return; // BeforeAll failed before building anything; its own error is the one to show.
  }
  const { ctx, sandbox, baseline } = state;
  try {
    const dir = runsDir(ctx.config.reportsDir, ctx.runId);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(
      join(dir, `evidence-worker-${ctx.worker}.json`),
      JSON.stringify(ctx.recorder.run, null, 1),
    );
    if (sandbox && baseline) await proveSandboxBack(ctx, baseline);
  } finally {
    await ctx.close();
    await sandbox?.stop();
    setProcessState(undefined);
  }
});
