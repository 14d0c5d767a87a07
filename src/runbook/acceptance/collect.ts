/**
 * Reads cucumber's message stream (envelopes as plain data) into capability results: each
 * scenario tagged `@capability:<name>` counts for that capability; its last attempt's worst step
 * decides (FAILED over SKIPPED over PASSED). A skipped scenario's reason is the log line starting
 * with `skipped: ` (what the step that skipped it wrote). A run that failed outside any scenario
 * (the AfterAll proof that the target is as before) fails the cleanup capability.
 */
import type { CapabilityResult, CapabilityStatus } from './verdict';

// biome-ignore lint/suspicious/noExplicitAny: cucumber message envelopes are read loosely, by field name
type Envelope = Record<string, any>;

export const CAPABILITY_TAG = '@capability:';
export const SKIP_PREFIX = 'skipped: ';

interface Attempt {
  capability: string;
  scenario: string;
  status: CapabilityStatus;
  detail?: string;
}

/** An error's message without its stack (its first lines that say something), as one line. */
const firstLine = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .filter((l) => l.trim() && !/^\s+at /.test(l))
    .slice(0, 6)
    .map((l) => l.trim())
    .join(' ');

export class CapabilityCollector {
  private readonly pickles = new Map<string, Envelope>();
  private readonly testCases = new Map<string, Envelope>();
  private readonly attempts = new Map<string, Attempt>();
  /** Pickle id -> its last attempt (a retried scenario counts once, by its last try). */
  private readonly lastAttempt = new Map<string, string>();
  private runFailure: string | undefined;
  /** Scenarios that ran without a capability tag: the run is not (only) an acceptance. */
  private untagged = 0;

  constructor(private readonly evidence: string) {}

  onMessage = (e: Envelope): void => {
    if (e['pickle']) this.pickles.set(e['pickle'].id, e['pickle']);
    else if (e['testCase']) this.testCases.set(e['testCase'].id, e['testCase']);
    else if (e['testCaseStarted']) this.started(e['testCaseStarted']);
    else if (e['testStepFinished']) this.stepFinished(e['testStepFinished']);
    else if (e['attachment']) this.attached(e['attachment']);
    else if (e['testRunFinished'] && !e['testRunFinished'].success) {
      const f = e['testRunFinished'];
      this.runFailure =
        firstLine(f.exception?.message ?? f.message) || 'the run failed outside the scenarios';
    }
  };

  private started(s: Envelope): void {
    const pickle = this.pickles.get(this.testCases.get(s.testCaseId)?.pickleId);
    const tag = (pickle?.tags ?? []).find((t: Envelope) => String(t.name).startsWith(CAPABILITY_TAG));
    if (!pickle) return;
    if (!tag) {
      this.untagged++;
      return;
    }
    this.attempts.set(s.id, {
      capability: tag.name.slice(CAPABILITY_TAG.length),
      scenario: pickle.name,
      status: 'PASS',
    });
    this.lastAttempt.set(pickle.id, s.id);
  }

  private stepFinished(f: Envelope): void {
    const attempt = this.attempts.get(f.testCaseStartedId);
    if (!attempt) return;
    const status = String(f.testStepResult?.status ?? 'UNKNOWN');
    if (status === 'PASSED') return;
    if (status === 'SKIPPED') {
      if (attempt.status === 'PASS') attempt.status = 'SKIPPED';
      return;
    }
    if (attempt.status !== 'FAIL') {
      attempt.status = 'FAIL';
      attempt.detail = firstLine(f.testStepResult?.exception?.message ?? f.testStepResult?.message) || status;
    }
  }

  private attached(a: Envelope): void {
    const attempt = this.attempts.get(a.testCaseStartedId);
    const body = String(a.body ?? '');
    if (attempt && body.startsWith(SKIP_PREFIX) && !attempt.detail)
      attempt.detail = body.slice(SKIP_PREFIX.length);
  }

  /** An acceptance run: some scenario named a capability, and every scenario did. */
  get isAcceptanceRun(): boolean {
    return this.lastAttempt.size > 0 && this.untagged === 0;
  }

  /** One result per capability seen: FAIL if any of its scenarios failed, SKIPPED if all skipped. */
  results(): CapabilityResult[] {
    const by = new Map<string, CapabilityResult>();
    for (const id of this.lastAttempt.values()) {
      const a = this.attempts.get(id)!;
      const r = by.get(a.capability) ?? {
        capability: a.capability,
        status: 'SKIPPED',
        evidence: this.evidence,
        scenarios: [],
      };
      r.scenarios.push(a.scenario);
      if (a.status === 'FAIL' && r.status !== 'FAIL') {
        r.status = 'FAIL';
        r.detail = `${a.scenario}: ${a.detail}`;
      } else if (a.status === 'PASS' && r.status === 'SKIPPED') {
        r.status = 'PASS';
        delete r.detail;
      } else if (a.status === 'SKIPPED' && r.status === 'SKIPPED' && !r.detail && a.detail)
        r.detail = a.detail;
      by.set(a.capability, r);
    }
    const results = [...by.values()];
    if (this.runFailure && !results.some((r) => r.status === 'FAIL')) {
      const cleanup = results.find((r) => r.capability === 'cleanup');
      const failed = { status: 'FAIL' as const, detail: `after the scenarios: ${this.runFailure}` };
      if (cleanup) Object.assign(cleanup, failed);
      else results.push({ capability: 'cleanup', evidence: this.evidence, scenarios: [], ...failed });
    }
    return results;
  }
}
