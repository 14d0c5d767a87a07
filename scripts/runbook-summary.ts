/**
 * Reads cucumber's message stream into a summary an operator reads at the end of a run: counts,
 * and for each problem the scenario, the step and the one-line reason (no stack traces).
 */

// biome-ignore lint/suspicious/noExplicitAny: cucumber message envelopes are read loosely, by field name
type Envelope = Record<string, any>;

export interface Problem {
  scenario: string;
  step?: string;
  status: string;
  message: string;
}

export interface Summary {
  scenarios: Record<string, number>;
  steps: Record<string, number>;
  problems: Problem[];
  durationMs: number;
  success: boolean;
  /** Attempts that failed and were run again (--retry). */
  retried: number;
}

const RANK = ['PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED', 'UNKNOWN'];
const worst = (a: string, b: string) => (RANK.indexOf(a) >= RANK.indexOf(b) ? a : b);

/** The first meaningful line of an error: the message without cucumber's stack. */
export function firstLines(message: string | undefined): string {
  if (!message) return '(no message)';
  const lines = message.split('\n').filter((l) => !/^\s+at /.test(l));
  return lines.slice(0, 6).join('\n').trim();
}

export class SummaryCollector {
  private pickles = new Map<string, Envelope>();
  private testCases = new Map<string, Envelope>();
  /** One attempt of a scenario; its steps and problems count once it is not to be retried. */
  private started = new Map<
    string,
    { testCaseId: string; status: string; steps: string[]; problems: Problem[] }
  >();
  private hooks = new Map<string, Envelope>();
  private hookRuns = new Map<string, string>();
  private startedAt = 0;
  readonly summary: Summary = {
    scenarios: {},
    steps: {},
    problems: [],
    durationMs: 0,
    success: false,
    retried: 0,
  };

  onMessage = (envelope: Envelope): void => {
    if (envelope['pickle']) this.pickles.set(envelope['pickle'].id, envelope['pickle']);
    else if (envelope['hook']) this.hooks.set(envelope['hook'].id, envelope['hook']);
    else if (envelope['testCase']) this.testCases.set(envelope['testCase'].id, envelope['testCase']);
    else if (envelope['testRunStarted']) this.startedAt = Date.now();
    else if (envelope['testCaseStarted'])
      this.started.set(envelope['testCaseStarted'].id, {
        testCaseId: envelope['testCaseStarted'].testCaseId,
        status: 'PASSED',
        steps: [],
        problems: [],
      });
    else if (envelope['testStepFinished']) this.stepFinished(envelope['testStepFinished']);
    else if (envelope['testCaseFinished']) this.caseFinished(envelope['testCaseFinished']);
    else if (envelope['testRunHookStarted'])
      this.hookRuns.set(envelope['testRunHookStarted'].id, envelope['testRunHookStarted'].hookId);
    else if (envelope['testRunHookFinished']) this.hookFinished(envelope['testRunHookFinished']);
    else if (envelope['testRunFinished']) {
      this.summary.success = envelope['testRunFinished'].success;
      this.summary.durationMs = Date.now() - this.startedAt;
      const exception = envelope['testRunFinished'].exception ?? envelope['testRunFinished'].message;
      if (exception && !this.summary.problems.length)
        this.summary.problems.push({
          scenario: '(run)',
          status: 'FAILED',
          message: firstLines(exception.message ?? exception),
        });
    }
  };

  private scenarioOf(testCaseStartedId: string) {
    const started = this.started.get(testCaseStartedId);
    const testCase = started && this.testCases.get(started.testCaseId);
    const pickle = testCase && this.pickles.get(testCase.pickleId);
    return { started, testCase, pickle };
  }

  private stepFinished(finished: Envelope): void {
    const { started, testCase, pickle } = this.scenarioOf(finished.testCaseStartedId);
    if (!started || !testCase || !pickle) return;
    const status: string = finished.testStepResult.status;
    started.status = worst(started.status, status);
    const testStep = testCase.testSteps.find((s: Envelope) => s.id === finished.testStepId);
    const pickleStep =
      testStep?.pickleStepId && pickle.steps.find((s: Envelope) => s.id === testStep.pickleStepId);
    if (pickleStep) started.steps.push(status);
    if (status === 'PASSED' || status === 'SKIPPED') return;
    const step = pickleStep ? pickleStep.text : 'a hook (cleanup or setup)';
    const message =
      status === 'UNDEFINED'
        ? 'no step definition matches this text: check the wording (`nodegroup-runbooks steps` lists every step; the closest are below)'
        : status === 'AMBIGUOUS'
          ? `several step definitions match this text: ${firstLines(finished.testStepResult.message)}`
          : firstLines(finished.testStepResult.message);
    started.problems.push({ scenario: `${pickle.name} (${pickle.uri})`, step, status, message });
  }

  /** An attempt that will be retried counts only as a retry: its failure is not the outcome. */
  private caseFinished(finished: Envelope): void {
    const { started } = this.scenarioOf(finished.testCaseStartedId);
    if (!started) return;
    if (finished.willBeRetried) {
      this.summary.retried++;
      return;
    }
    this.summary.scenarios[started.status] = (this.summary.scenarios[started.status] ?? 0) + 1;
    for (const status of started.steps) this.summary.steps[status] = (this.summary.steps[status] ?? 0) + 1;
    this.summary.problems.push(...started.problems);
  }

  private hookFinished(finished: Envelope): void {
    // SKIPPED: a --dry-run runs no hook.
    if (finished.result.status === 'PASSED' || finished.result.status === 'SKIPPED') return;
    const hook = this.hooks.get(this.hookRuns.get(finished.testRunHookStartedId) ?? '');
    const where = hook?.sourceReference?.uri ?? 'a BeforeAll/AfterAll hook';
    const error = finished.result.exception?.message ?? finished.result.message;
    this.summary.problems.push({
      scenario: `(run setup/teardown in ${where})`,
      status: 'FAILED',
      message: firstLines(error),
    });
  }
}

const count = (counts: Record<string, number>) => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k.toLowerCase()}`);
  return `${total}${parts.length ? ` (${parts.join(', ')})` : ''}`;
};

export function renderSummary(s: Summary, extra: string[]): string {
  const lines = ['', `runbooks: ${s.success ? 'PASSED' : 'FAILED'}`];
  lines.push(
    `  scenarios ${count(s.scenarios)}, steps ${count(s.steps)}, ${(s.durationMs / 1000).toFixed(1)} s` +
      (s.retried ? ` (${s.retried} failed attempt(s) retried)` : ''),
  );
  for (const p of s.problems) {
    lines.push(`  ${p.status}: ${p.scenario}`);
    if (p.step) lines.push(`    step: ${p.step}`);
    lines.push(...p.message.split('\n').map((l) => `    ${l}`));
  }
  lines.push(...extra.map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}
