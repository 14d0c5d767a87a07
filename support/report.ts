/**
 * Report hooks: after every step, its evidence as attachments (allure-cucumberjs turns cucumber
 * attachments into Allure ones); after a failed step, the automatic diagnosis; once per worker,
 * the run's metadata (environment, executor, categories) in the Allure results. Formatting lives in
 * src/report; these hooks only hand it the evidence, and never fail a step themselves.
 */
import { AfterAll, AfterStep, BeforeAll, Status } from '@cucumber/cucumber';
import { kubeReaderSource } from '../src/diagnose';
import { evidenceAttachments } from '../src/report/attachments';
import { diagnosisAttachments } from '../src/report/diagnosis-attachments';
import { diagnoseFailure, involvedIn } from '../src/report/failure-diagnosis';
import {
  ALLURE_RESULTS_ENV,
  describeEnvironment,
  writeEnvironmentFragment,
  writeRunMetadata,
} from '../src/report/metadata';
import type { RunContext } from '../src/runbook';
import { processState } from './run-state';
import type { RunbookWorld } from './world';

const resultsDir = () => process.env[ALLURE_RESULTS_ENV];
/** A failed step waits at most this long for its diagnosis. */
const DIAGNOSIS_TIMEOUT_MS = 15_000;

AfterStep({ timeout: DIAGNOSIS_TIMEOUT_MS + 5_000 }, async function (this: RunbookWorld, { result }) {
  let ctx: RunContext;
  try {
    ctx = this.ctx;
  } catch {
    return; // no run context: BeforeAll failed and says why
  }
  if (!resultsDir()) return; // RUNBOOK_ALLURE=off
  try {
    this.attachEvidence(evidenceAttachments(ctx.recorder.currentStep?.operations ?? []));
    if (result.status !== Status.FAILED) return;
    const involved = involvedIn(ctx.recorder.currentScenario);
    const diagnostics = await diagnoseFailure(
      kubeReaderSource(ctx.verifier.kube),
      involved,
      DIAGNOSIS_TIMEOUT_MS,
    );
    this.attachEvidence(diagnosisAttachments(diagnostics));
  } catch (err) {
    // The step's own result stands; say what went wrong with its evidence instead of failing.
    this.attach(`the evidence of this step could not be attached: ${(err as Error).message}`, {
      mediaType: 'text/plain',
      fileName: 'evidence error.txt',
    });
  }
});

/** Where this run's fragments go (the run context is gone by the time AfterAll runs last). */
let run: { reportsDir: string; runId: string } | undefined;

BeforeAll(async () => {
  if (!resultsDir()) return; // no Allure formatter in this profile
  let ctx: RunContext;
  try {
    ({ ctx } = processState());
  } catch {
    return;
  }
  run = { reportsDir: ctx.config.reportsDir, runId: ctx.runId };
  writeEnvironmentFragment(ctx, await describeEnvironment(ctx));
});

// Every worker writes the merged metadata; the last one to finish sees every worker's fragment.
AfterAll(() => {
  const dir = resultsDir();
  if (dir && run) writeRunMetadata(dir, run.reportsDir, run.runId);
});
