/**
 * The evidence of a run in a report-neutral model (run -> scenario -> step -> operation): HTTP
 * exchanges with the Authorization header redacted, before/after objects, kubectl output, waits
 * and ledger entries. Reporters (Allure, the summary) read this model; it knows none of them.
 * Every operation passes the run's Redactor on the way in, so no secret is ever stored.
 */
import { Redactor } from './redact';

export interface HttpOperation {
  kind: 'http';
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; body: unknown };
  error?: string;
  durationMs: number;
}

export interface SnapshotOperation {
  kind: 'snapshot';
  label: 'before' | 'after';
  resource: string;
  name: string;
  /** undefined: the object does not exist. */
  object: unknown;
}

export interface KubectlOperation {
  kind: 'kubectl';
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface WaitOperation {
  kind: 'wait';
  description: string;
  /** The object waited on (resource name of src/kube/resources), when the wait is about one. */
  resource?: string;
  name?: string;
  namespace?: string;
  ok: boolean;
  durationMs: number;
  lastSeen?: unknown;
  /** The field the wait was about, as last seen (`label K=V`). */
  lastSeenField?: string;
  /** The wait ended early: the object settled in a state that does not match. */
  settled?: boolean;
}

export interface LedgerOperation {
  kind: 'ledger';
  action: 'recorded' | 'undone';
  entry: unknown;
  error?: string;
}

export interface NoteOperation {
  kind: 'note';
  text: string;
}

export type Operation =
  | HttpOperation
  | SnapshotOperation
  | KubectlOperation
  | WaitOperation
  | LedgerOperation
  | NoteOperation;

export interface StepRecord {
  text: string;
  operations: Operation[];
}

export interface ScenarioRecord {
  name: string;
  uri: string;
  tags: string[];
  steps: StepRecord[];
  /** What the After hook did to undo the scenario's changes. */
  cleanup: Operation[];
}

export interface RunRecord {
  runId: string;
  target: { kind: string; host: string; kubeServer: string };
  worker: string;
  startedAt: string;
  scenarios: ScenarioRecord[];
}

/** Collects operations into the current step (or the scenario's cleanup). */
export class Recorder {
  private scenario: ScenarioRecord | undefined;
  private step: StepRecord | undefined;
  private inCleanup = false;
  /** Secrets seen by the run (login password, issued tokens) are added here by the recorders. */
  readonly redactor = new Redactor();

  constructor(readonly run: RunRecord) {}

  startScenario(name: string, uri: string, tags: string[]): ScenarioRecord {
    this.scenario = { name, uri, tags, steps: [], cleanup: [] };
    this.run.scenarios.push(this.scenario);
    this.step = undefined;
    this.inCleanup = false;
    return this.scenario;
  }

  startStep(text: string): void {
    this.step = { text, operations: [] };
    this.scenario?.steps.push(this.step);
  }

  startCleanup(): void {
    this.inCleanup = true;
  }

  /** Record an operation; `secrets` are literal values it carried that must never be stored. */
  add(recorded: Operation, secrets: readonly string[] = []): void {
    for (const secret of secrets) this.redactor.addSecret(secret);
    const operation = this.redactor.value(recorded);
    if (this.inCleanup) this.scenario?.cleanup.push(operation);
    else this.step?.operations.push(operation);
  }

  /** The scenario being recorded (for diagnosing a failure from everything it touched). */
  get currentScenario(): ScenarioRecord | undefined {
    return this.scenario;
  }

  /** The operations of the current step (for attaching to a report). */
  get currentStep(): StepRecord | undefined {
    return this.step;
  }
}
