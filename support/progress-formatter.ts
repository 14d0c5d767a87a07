/**
 * What a run prints while it goes: one character per step as cucumber's `progress` prints them
 * (. passed, F failed, U undefined, A ambiguous, P pending, - skipped), and, on a long run, the
 * scenario and step that have been running for a while, so an operator knows what it waits on.
 * No failure dump with every attachment: the runner's summary prints each failure in a few lines
 * (scripts/runbook-summary.ts) and the full evidence stays in the report.
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import { type Envelope, RunCollector, scenarioCounts } from '../src/report/run-collector';

const MARK: Record<string, string> = {
  PASSED: '.',
  FAILED: 'F',
  UNDEFINED: 'U',
  AMBIGUOUS: 'A',
  PENDING: 'P',
  SKIPPED: '-',
  UNKNOWN: '?',
};
/** A step running longer than this is named; then again every RENAME_MS while it runs. */
export const LONG_STEP_MS = Number(process.env['RUNBOOK_PROGRESS_AFTER_MS'] ?? 5_000);
const RENAME_MS = 30_000;

export default class ProgressFormatter extends Formatter {
  private readonly collector = new RunCollector();
  private readonly running = new Map<string, { timer: NodeJS.Timeout; since: number }>();
  private column = 0;

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (e: Envelope) => this.onEnvelope(e));
  }

  private write(text: string): void {
    this.log(text);
    const nl = text.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + text.length : text.length - nl - 1;
  }

  private onEnvelope(e: Envelope): void {
    this.collector.onMessage(e);
    if (e['testStepStarted']) this.stepStarted(e['testStepStarted']);
    else if (e['testStepFinished']) {
      this.stop(e['testStepFinished'].testCaseStartedId);
      this.write(MARK[e['testStepFinished'].testStepResult.status] ?? '?');
    } else if (e['testRunFinished']) {
      for (const id of [...this.running.keys()]) this.stop(id);
      const counts = Object.entries(scenarioCounts(this.collector.run))
        .map(([k, n]) => `${n} ${k.toLowerCase()}`)
        .join(', ');
      this.write(
        `${this.column ? '\n' : ''}${this.collector.run.scenarios.length} scenarios (${counts || 'none'})\n`,
      );
    }
  }

  private stepStarted(started: Envelope): void {
    const id: string = started.testCaseStartedId;
    const since = Date.now();
    const name = () => {
      const pickle = this.collector.pickleOf(id);
      const { text } = this.collector.stepText(id, started.testStepId);
      const seconds = Math.ceil((Date.now() - since) / 1000);
      this.write(
        `${this.column ? '\n' : ''}  running ${seconds} s: ${pickle?.name ?? 'a scenario'} > ${text}\n`,
      );
      const timer = setTimeout(name, RENAME_MS);
      timer.unref();
      this.running.set(id, { timer, since });
    };
    const timer = setTimeout(name, LONG_STEP_MS);
    timer.unref();
    this.running.set(id, { timer, since });
  }

  private stop(id: string): void {
    const r = this.running.get(id);
    if (r) clearTimeout(r.timer);
    this.running.delete(id);
  }
}
