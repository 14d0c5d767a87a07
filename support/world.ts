/**
 * The World: the run's clients (through the process's run context) and this scenario's state:
 * the per-run names of what it created, the safe flow its operations go through, the last
 * refusal, the last kubectl output, and the troubleshooting runbooks' diagnosis and finding.
 * Steps read words into calls on src/runbook; the logic lives there.
 */
import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { Diagnosis, Finding } from '../src/diagnose';
import { HttpError } from '../src/kapi/errors';
import type { Attachment } from '../src/report/attachments';
import { ALLURE_RESULTS_ENV } from '../src/report/metadata';
import {
  expandVariables,
  Flow,
  type KubectlResult,
  MissingParameterError,
  NameBook,
  type RunContext,
  runTag,
  WORKER_ID_ENV,
} from '../src/runbook';
import type { UserSession, WriteAttempt } from '../src/runbook/acceptance';
import { processState } from './run-state';

export class RunbookWorld extends World {
  names!: NameBook;
  /** The safe flow (inspect -> action -> verify) every operation of the scenario goes through. */
  flow!: Flow;
  /** The refusal of the last "I try to ..." step; null when it succeeded. */
  refusal: HttpError | null | undefined;
  kubectlResult: KubectlResult | undefined;
  /** The last diagnosis of the scenario, and the finding a step picked from it. */
  diagnosis: Diagnosis | undefined;
  finding: Finding | undefined;
  /** The outcome of the scenario's last "I try to ..." batch: its result or its error. */
  batchAttempt: unknown;
  /** Acceptance: the other user the scenario acts as, what it tried, the replicas asked for. */
  userSession: UserSession | undefined;
  userWrites: WriteAttempt[] | undefined;
  readonly deploymentReplicas = new Map<string, number>();

  constructor(options: IWorldOptions) {
    super(options);
  }

  get ctx(): RunContext {
    return processState().ctx;
  }

  /** An `@operation` scenario: names as written, changes kept (see src/runbook/operation-mode.ts). */
  operation = false;

  /** Called by the Before hook once the scenario is known. */
  startScenario(scenarioKey: string, operation = false): void {
    this.operation = operation;
    this.names = new NameBook(runTag(this.ctx.runId, process.env[WORKER_ID_ENV]), operation);
    this.flow = new Flow(this.ctx, scenarioKey);
  }

  /** `${VAR}` from the run's variables (environment file, RUNBOOK_VAR_*, --world-parameters). */
  expand(text: string): string {
    return expandVariables(text, this.ctx.config.vars);
  }

  /** The value `${name}` takes in this run; undefined when neither source sets it. */
  variable(name: string): string | undefined {
    try {
      return this.expand(`\${${name}}`);
    } catch (err) {
      if (err instanceof MissingParameterError) return undefined;
      throw err;
    }
  }

  /** The real name for a name in the runbook: the scenario's unique name, or the name itself. */
  name(text: string): string {
    return this.names.resolve(this.expand(text));
  }

  /** A fresh per-run unique name for something the scenario creates (an operation: the name as written). */
  newName(text: string): string {
    return this.names.claim(this.expand(text));
  }

  /** A text for the report (kubectl output, notes) without the run's secrets, as the evidence is. */
  scrub(text: string): string {
    return this.ctx.recorder.redactor.text(text);
  }

  /** Attach report-neutral attachments to the running step or hook (scrubbed of the run's secrets). */
  attachEvidence(attachments: Attachment[]): void {
    if (!process.env[ALLURE_RESULTS_ENV]) return; // RUNBOOK_ALLURE=off: no report, no attachments
    for (const a of attachments)
      this.attach(this.scrub(a.body), { mediaType: a.mediaType, fileName: a.name });
  }

  /** The session of "Given I am the user ..."; a step needing it before that fails saying so. */
  user(): UserSession {
    if (!this.userSession) throw new Error('no "Given I am the user ..." step ran before this one');
    return this.userSession;
  }

  /** Run an action whose refusal by the server is the expected outcome; other failures propagate. */
  async attempt(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this.refusal = null;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      this.refusal = err;
    }
  }
}

setWorldConstructor(RunbookWorld);
