/**
 * Report hooks: after every step, its evidence as attachments (allure-cucumberjs turns cucumber
 * attachments into Allure ones) and the scenario's parameters (its ${VAR}s and the unique names it
 * claimed, through the Allure runtime API); after a failed step, the automatic diagnosis; once per
 * worker, the run's metadata (environment, executor, categories) in the Allure results. Formatting
 * lives in src/report; these hooks only hand it the evidence, and never fail a step themselves.
 */
import { AfterAll, AfterStep, BeforeAll, Status, setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import type { Parameter } from 'allure-js-commons';
import { kubeReaderSource } from '../src/diagnose';
import { evidenceAttachments } from '../src/report/attachments';
import { diagnosisAttachments } from '../src/report/diagnosis-attachments';
import { stampError } from '../src/report/failure-codes';
import { diagnoseFailure, type FailureDiagnostics, involvedIn } from '../src/report/failure-diagnosis';
import {
  ALLURE_RESULTS_ENV,
  describeEnvironment,
  writeEnvironmentFragment,
  writeRunMetadata,
} from '../src/report/metadata';
import { FINDINGS_MEDIA_TYPE, type FindingLine } from '../src/report/run-collector';
import {
  claimedNameParameters,
  resolvedStepText,
  type ScenarioText,
  variableParameters,
  variablesOf,
} from '../src/report/scenario-parameters';
import type { RunContext } from '../src/runbook';
import { processState } from './run-state';
import type { RunbookWorld } from './world';

const resultsDir = () => process.env[ALLURE_RESULTS_ENV];

/**
 * Every step and hook: an error leaving it is stamped with its failure code (`[CODE] ` opens its
 * message), so each formatter, in whichever process it runs, can tell who must act from the code.
 */
setDefinitionFunctionWrapper(
  (fn: (...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      try {
        const out = fn.apply(this, args);
        if (out && typeof (out as Promise<unknown>).then === 'function')
          return (out as Promise<unknown>).then(undefined, (err: unknown) => {
            throw stampError(err);
          });
        return out;
      } catch (err) {
        throw stampError(err);
      }
    },
);

/** The findings of a diagnosis that did not pass, for the console and the summary. */
const failingFindings = (d: FailureDiagnostics): FindingLine[] =>
  d.diagnoses.flatMap((diag) =>
    diag.findings
      .filter((f) => f.status === 'fail' || f.status === 'warn')
      .map((f) => ({
        check: f.check.id,
        status: f.status,
        summary: f.summary,
        ...(f.nextCommand ? { nextCommand: f.nextCommand } : {}),
      })),
  );
/** A failed step waits at most this long for its diagnosis. */
const DIAGNOSIS_TIMEOUT_MS = 15_000;

/**
 * The Allure runtime API, only when results are written (RUNBOOK_ALLURE=off loads nothing):
 * requiring allure-cucumberjs registers its runtime, which sends each call to the formatter as a
 * cucumber attachment of the running step.
 */
function loadAllureRuntime(): typeof import('allure-js-commons') {
  require('allure-cucumberjs');
  return require('allure-js-commons');
}
const allure = resultsDir() ? loadAllureRuntime() : undefined;

/** Per scenario: whether its variables went out, and which claimed names did. */
const sent = new WeakMap<RunbookWorld, { variables: boolean; names: Set<string> }>();

/**
 * The scenario's parameters not sent yet: its ${VAR}s on its first step (all of them, from the
 * scenario text, so the historyId does not depend on how far a run got), and each unique name
 * after the step that claimed it (excluded from the historyId: new every run).
 */
function newParameters(world: RunbookWorld, ctx: RunContext, scenario: ScenarioText): Parameter[] {
  const state = sent.get(world) ?? { variables: false, names: new Set<string>() };
  sent.set(world, state);
  const out: Parameter[] = [];
  if (!state.variables) {
    state.variables = true;
    out.push(
      ...variableParameters(
        variablesOf(scenario),
        (n) => world.variable(n),
        (t) => ctx.recorder.redactor.text(t),
      ),
    );
  }
  const fresh = world.names.entries().filter(([, unique]) => !state.names.has(unique));
  for (const [, unique] of fresh) state.names.add(unique);
  out.push(...claimedNameParameters(fresh));
  return out;
}

AfterStep(
  { timeout: DIAGNOSIS_TIMEOUT_MS + 5_000 },
  async function (this: RunbookWorld, { result, pickle, pickleStep }) {
    let ctx: RunContext;
    try {
      ctx = this.ctx;
    } catch {
      return; // no run context: BeforeAll failed and says why
    }
    if (!allure) return; // RUNBOOK_ALLURE=off
    try {
      for (const p of newParameters(this, ctx, pickle))
        await allure.parameter(p.name, p.value, { excluded: p.excluded ?? false });
      const asRun = resolvedStepText(
        pickleStep.text,
        (n) => this.variable(n),
        (n) => this.names.resolve(n),
      );
      this.attachEvidence(evidenceAttachments(ctx.recorder.currentStep?.operations ?? [], asRun));
      if (result.status !== Status.FAILED) return;
      const involved = involvedIn(ctx.recorder.currentScenario);
      const diagnostics = await diagnoseFailure(
        kubeReaderSource(ctx.verifier.kube),
        involved,
        DIAGNOSIS_TIMEOUT_MS,
      );
      this.attachEvidence(diagnosisAttachments(diagnostics));
      this.attach(this.scrub(JSON.stringify(failingFindings(diagnostics))), {
        mediaType: FINDINGS_MEDIA_TYPE,
      });
    } catch (err) {
      // The step's own result stands; say what went wrong with its evidence instead of failing.
      this.attach(`the evidence of this step could not be attached: ${(err as Error).message}`, {
        mediaType: 'text/plain',
        fileName: 'evidence error.txt',
      });
    }
  },
);

/** Where this run's fragments go (the run context is gone by the time AfterAll runs last). */
let run: { reportsDir: string; runId: string } | undefined;

// The environment fragment serves summary.md as well, so it is written with or without Allure.
BeforeAll(async () => {
  let ctx: RunContext;
  try {
    ({ ctx } = processState());
  } catch {
    return;
  }
  if (resultsDir()) run = { reportsDir: ctx.config.reportsDir, runId: ctx.runId };
  writeEnvironmentFragment(ctx, await describeEnvironment(ctx));
});

// Every worker writes the merged metadata; the last one to finish sees every worker's fragment.
AfterAll(() => {
  const dir = resultsDir();
  if (dir && run) writeRunMetadata(dir, run.reportsDir, run.runId);
});
