/**
 * Cucumber's message stream read into the outcome of a run: each scenario (its last attempt) with
 * cucumber's status, the failing step and its failure code, category and message, and the failing
 * findings of the automatic diagnosis (a small JSON attachment the report hook adds); hook
 * failures outside scenarios; step counts. The console summary and summary.md both read it.
 */
import { type CucumberStatus, type Outcome, STATUS_RANK, stepOutcome, worstOutcome } from './outcome';
import { type ParameterTypeInfo, undefinedStepHint } from './undefined-hint';

// biome-ignore lint/suspicious/noExplicitAny: cucumber message envelopes are read loosely, by field name
export type Envelope = Record<string, any>;

/** Media type of the failing findings a failed step carries (support/report.ts attaches them). */
export const FINDINGS_MEDIA_TYPE = 'application/vnd.nodegroup-runbooks.findings+json';

export interface FindingLine {
  check: string;
  status: string;
  summary: string;
  nextCommand?: string;
}

export interface ScenarioOutcome {
  name: string;
  uri: string;
  outcome: Outcome;
  /** The step (or hook) the outcome comes from, when not passed. */
  step?: string;
  findings: FindingLine[];
  attempts: number;
}

export interface RunOutcome {
  scenarios: ScenarioOutcome[];
  /** BeforeAll/AfterAll failures and a run that ended with an error. */
  runProblems: { where: string; outcome: Outcome }[];
  steps: Partial<Record<CucumberStatus, number>>;
  retried: number;
  durationMs: number;
  success: boolean | undefined;
}

interface Attempt {
  testCaseId: string;
  outcomes: { outcome: Outcome; step: string; isStep: boolean }[];
  findings: FindingLine[];
}

export class RunCollector {
  private pickles = new Map<string, Envelope>();
  private testCases = new Map<string, Envelope>();
  private hooks = new Map<string, Envelope>();
  private hookRuns = new Map<string, string>();
  private attempts = new Map<string, Attempt>();
  private attemptsOf = new Map<string, number>();
  private startedAt = 0;
  private expressions: string[] = [];
  private parameterTypes: ParameterTypeInfo[] = [];
  readonly run: RunOutcome = {
    scenarios: [],
    runProblems: [],
    steps: {},
    retried: 0,
    durationMs: 0,
    success: undefined,
  };
  /** Called with each scenario as it finishes (its last attempt). */
  onScenario: ((s: ScenarioOutcome) => void) | undefined;

  onMessage = (envelope: Envelope): void => {
    if (envelope['pickle']) this.pickles.set(envelope['pickle'].id, envelope['pickle']);
    else if (envelope['hook']) this.hooks.set(envelope['hook'].id, envelope['hook']);
    else if (envelope['stepDefinition']?.pattern?.type === 'CUCUMBER_EXPRESSION')
      this.expressions.push(envelope['stepDefinition'].pattern.source);
    else if (envelope['parameterType']) this.parameterTypes.push(envelope['parameterType']);
    else if (envelope['testCase']) this.testCases.set(envelope['testCase'].id, envelope['testCase']);
    else if (envelope['testRunStarted']) this.startedAt = Date.now();
    else if (envelope['testCaseStarted'])
      this.attempts.set(envelope['testCaseStarted'].id, {
        testCaseId: envelope['testCaseStarted'].testCaseId,
        outcomes: [],
        findings: [],
      });
    else if (envelope['attachment']) this.attachment(envelope['attachment']);
    else if (envelope['testStepFinished']) this.stepFinished(envelope['testStepFinished']);
    else if (envelope['testCaseFinished']) this.caseFinished(envelope['testCaseFinished']);
    else if (envelope['testRunHookStarted'])
      this.hookRuns.set(envelope['testRunHookStarted'].id, envelope['testRunHookStarted'].hookId);
    else if (envelope['testRunHookFinished']) this.hookFinished(envelope['testRunHookFinished']);
    else if (envelope['testRunFinished']) {
      const finished = envelope['testRunFinished'];
      this.run.success = finished.success;
      this.run.durationMs = this.startedAt ? Date.now() - this.startedAt : 0;
      const exception = finished.exception ?? (finished.message ? { message: finished.message } : undefined);
      if (exception && !this.run.runProblems.length)
        this.run.runProblems.push({
          where: 'the run',
          outcome: stepOutcome({ status: 'FAILED', message: exception.message ?? String(exception) }),
        });
    }
  };

  /** The outcomes of an attempt's steps and hooks so far. */
  outcomesOf(testCaseStartedId: string): Outcome[] {
    return this.attempts.get(testCaseStartedId)?.outcomes.map((o) => o.outcome) ?? [];
  }

  /** The pickle of a test case (its scenario's name, uri and steps). */
  pickleOf(testCaseStartedId: string): Envelope | undefined {
    const attempt = this.attempts.get(testCaseStartedId);
    const testCase = attempt && this.testCases.get(attempt.testCaseId);
    return testCase && this.pickles.get(testCase.pickleId);
  }

  /** The text of a test step: the pickle step's, or the hook's name. */
  stepText(testCaseStartedId: string, testStepId: string): { text: string; isStep: boolean } {
    const attempt = this.attempts.get(testCaseStartedId);
    const testCase = attempt && this.testCases.get(attempt.testCaseId);
    const testStep = testCase?.testSteps.find((s: Envelope) => s.id === testStepId);
    const pickle = testCase && this.pickles.get(testCase.pickleId);
    const pickleStep =
      testStep?.pickleStepId && pickle?.steps.find((s: Envelope) => s.id === testStep.pickleStepId);
    if (pickleStep) return { text: pickleStep.text, isStep: true };
    const hook = testStep?.hookId ? this.hooks.get(testStep.hookId) : undefined;
    const where = hook?.sourceReference?.uri
      ? `${hook.sourceReference.uri}${hook.sourceReference.location?.line ? `:${hook.sourceReference.location.line}` : ''}`
      : undefined;
    const text = hook?.name ? `hook "${hook.name}"` : `a hook${where ? ` (${where})` : ''}`;
    return { text, isStep: false };
  }

  private attachment(a: Envelope): void {
    if (a.mediaType !== FINDINGS_MEDIA_TYPE || !a.testCaseStartedId) return;
    const attempt = this.attempts.get(a.testCaseStartedId);
    try {
      attempt?.findings.push(...(JSON.parse(a.body) as FindingLine[]));
    } catch {
      // a findings attachment that is not JSON: nothing to show
    }
  }

  private stepFinished(finished: Envelope): void {
    const attempt = this.attempts.get(finished.testCaseStartedId);
    if (!attempt) return;
    const { text, isStep } = this.stepText(finished.testCaseStartedId, finished.testStepId);
    const undefinedStep = isStep && finished.testStepResult.status === 'UNDEFINED';
    const hint = undefinedStep ? undefinedStepHint(text, this.expressions, this.parameterTypes) : undefined;
    const outcome = stepOutcome(finished.testStepResult, isStep ? text : undefined, hint);
    attempt.outcomes.push({ outcome, step: text, isStep });
  }

  private caseFinished(finished: Envelope): void {
    const attempt = this.attempts.get(finished.testCaseStartedId);
    const pickle = this.pickleOf(finished.testCaseStartedId);
    if (!attempt || !pickle) return;
    const tries = (this.attemptsOf.get(pickle.id) ?? 0) + 1;
    this.attemptsOf.set(pickle.id, tries);
    if (finished.willBeRetried) {
      this.run.retried++;
      return;
    }
    for (const o of attempt.outcomes)
      if (o.isStep) this.run.steps[o.outcome.status] = (this.run.steps[o.outcome.status] ?? 0) + 1;
    const worst = worstOutcome(attempt.outcomes.map((o) => o.outcome));
    const from = attempt.outcomes.find((o) => o.outcome === worst);
    const scenario: ScenarioOutcome = {
      name: pickle.name,
      uri: pickle.uri,
      outcome: worst,
      ...(from && worst.status !== 'PASSED' ? { step: from.step } : {}),
      findings: attempt.findings,
      attempts: tries,
    };
    this.run.scenarios.push(scenario);
    this.onScenario?.(scenario);
  }

  private hookFinished(finished: Envelope): void {
    // SKIPPED: a --dry-run runs no hook.
    if (finished.result.status === 'PASSED' || finished.result.status === 'SKIPPED') return;
    const hook = this.hooks.get(this.hookRuns.get(finished.testRunHookStartedId) ?? '');
    const where = `a BeforeAll/AfterAll hook${hook?.sourceReference?.uri ? ` (${hook.sourceReference.uri})` : ''}`;
    this.run.runProblems.push({ where, outcome: stepOutcome(finished.result) });
  }
}

/** Counts in cucumber's order (passed first, failed last). */
export function ordered(
  counts: Partial<Record<CucumberStatus, number>>,
): Partial<Record<CucumberStatus, number>> {
  const out: Partial<Record<CucumberStatus, number>> = {};
  for (const status of STATUS_RANK) if (counts[status]) out[status] = counts[status];
  return out;
}

/** Scenario counts by cucumber status. */
export function scenarioCounts(run: RunOutcome): Partial<Record<CucumberStatus, number>> {
  const counts: Partial<Record<CucumberStatus, number>> = {};
  for (const s of run.scenarios) counts[s.outcome.status] = (counts[s.outcome.status] ?? 0) + 1;
  return ordered(counts);
}

/** Whether the run can be trusted as passed: cucumber says so and no step was left undefined, ambiguous or pending. */
export function trustworthy(run: RunOutcome, cucumberSuccess: boolean): boolean {
  const unsure: CucumberStatus[] = ['UNDEFINED', 'AMBIGUOUS', 'PENDING', 'FAILED', 'UNKNOWN'];
  return (
    cucumberSuccess &&
    !run.scenarios.some((s) => unsure.includes(s.outcome.status)) &&
    !run.runProblems.length
  );
}
