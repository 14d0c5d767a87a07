/**
 * What the runbooks changed on the twin, object by object: the twin's store is watched (every
 * stored kind) while cucumber's messages say which scenario and step is running, so each change
 * is the scenario's, with the object before the scenario touched it, after its steps, and after
 * its cleanup. Changes outside any scenario (the controller at start-up, before the baseline) are
 * the model disagreeing with live and are listed apart.
 */
import { stepOutcome } from '../report/outcome';
import { diffFields, type FieldChange } from '../twin/diff';

// biome-ignore lint/suspicious/noExplicitAny: cucumber message envelopes are read loosely, by field name
type Envelope = Record<string, any>;

/** The parts of the sandbox store the tracker reads (src/sandbox stays out of src/plan's imports). */
export interface WatchableStore {
  dump(): { objects: Record<string, StoredObject[]> };
  watch(resource: string, options: object, listener: (event: StoreEvent) => void): () => void;
}
export interface StoredObject {
  metadata: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  object: StoredObject;
}

export interface ObjectChange {
  resource: string;
  name: string;
  namespace?: string;
  /** The steps that changed it (in order, no repeats). */
  steps: string[];
  /** undefined: it did not exist. */
  before?: StoredObject;
  /** After the scenario's steps (undefined: deleted, or it did not exist). */
  after?: StoredObject;
  /** The fields the steps changed (volatile fields left out). */
  fields: FieldChange[];
  /** After the cleanup, the object is as before the scenario. */
  restored: boolean;
}

export interface StepResult {
  text: string;
  /** cucumber's status: PASSED, FAILED, SKIPPED, UNDEFINED... */
  status: string;
  message?: string;
}

export interface ScenarioChanges {
  name: string;
  uri: string;
  steps: StepResult[];
  changes: ObjectChange[];
}

/** Kinds whose content is never put in a plan (the twin copies none; a runbook may create one). */
const HIDDEN = new Set(['secrets']);

const keyOf = (resource: string, o: StoredObject) =>
  `${resource}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

interface Tracked {
  change: ObjectChange;
  afterCleanup?: StoredObject;
}

export class ChangeTracker {
  readonly scenarios: ScenarioChanges[] = [];
  private current = new Map<string, Tracked>();
  private shadow = new Map<string, StoredObject>();
  private phase: { step: string; cleanup: boolean } | undefined;
  private testCases = new Map<string, Envelope>();
  private pickles = new Map<string, Envelope>();
  private caseOf = new Map<string, string>();
  private stepsSeen = new Set<string>();
  private results: StepResult[] = [];
  private stops: (() => void)[] = [];

  /** Start from the store as it is now (the baseline), watching `resources`. */
  constructor(store: WatchableStore, resources: readonly string[]) {
    for (const [resource, list] of Object.entries(store.dump().objects))
      for (const o of list) this.shadow.set(keyOf(resource, o), o);
    for (const resource of resources) this.stops.push(store.watch(resource, {}, (e) => this.onEvent(e)));
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }

  private onEvent(event: StoreEvent): void {
    const key = keyOf(event.resource, event.object);
    const was = this.shadow.get(key);
    const now = event.type === 'DELETED' ? undefined : event.object;
    if (now) this.shadow.set(key, now);
    else this.shadow.delete(key);
    if (!this.phase) return; // between scenarios: the controller settling after a cleanup
    let tracked = this.current.get(key);
    if (!tracked) {
      const { name = '', namespace } = event.object.metadata;
      tracked = {
        change: {
          resource: event.resource,
          name,
          ...(namespace ? { namespace } : {}),
          steps: [],
          ...(was ? { before: was } : {}),
          fields: [],
          restored: false,
        },
      };
      this.current.set(key, tracked);
    }
    if (this.phase.cleanup) {
      tracked.afterCleanup = now;
      return;
    }
    tracked.afterCleanup = now;
    if (now) tracked.change.after = now;
    else delete tracked.change.after;
    if (!tracked.change.steps.includes(this.phase.step)) tracked.change.steps.push(this.phase.step);
  }

  /** Feed every cucumber envelope of the run (in-process, so in step with the store's events). */
  onMessage = (envelope: Envelope): void => {
    if (envelope['pickle']) this.pickles.set(envelope['pickle'].id, envelope['pickle']);
    else if (envelope['testCase']) this.testCases.set(envelope['testCase'].id, envelope['testCase']);
    else if (envelope['testCaseStarted']) {
      this.caseOf.set(envelope['testCaseStarted'].id, envelope['testCaseStarted'].testCaseId);
      this.current = new Map();
      this.stepsSeen = new Set();
      this.results = [];
      this.phase = { step: 'setup', cleanup: false };
    } else if (envelope['testStepStarted']) {
      const { testCaseStartedId, testStepId } = envelope['testStepStarted'];
      const testCase = this.testCases.get(this.caseOf.get(testCaseStartedId) ?? '');
      const testStep = testCase?.testSteps.find((s: Envelope) => s.id === testStepId);
      const pickle = testCase && this.pickles.get(testCase.pickleId);
      const pickleStep =
        testStep?.pickleStepId && pickle?.steps.find((s: Envelope) => s.id === testStep.pickleStepId);
      if (pickleStep) {
        this.stepsSeen.add(pickleStep.id);
        this.phase = { step: pickleStep.text, cleanup: false };
      } else this.phase = { step: 'hook', cleanup: this.stepsSeen.size > 0 };
    } else if (envelope['testStepFinished']) {
      const { testCaseStartedId, testStepId, testStepResult } = envelope['testStepFinished'];
      const testCase = this.testCases.get(this.caseOf.get(testCaseStartedId) ?? '');
      const testStep = testCase?.testSteps.find((s: Envelope) => s.id === testStepId);
      const pickle = testCase && this.pickles.get(testCase.pickleId);
      const pickleStep =
        testStep?.pickleStepId && pickle?.steps.find((s: Envelope) => s.id === testStep.pickleStepId);
      const outcome = stepOutcome(testStepResult, pickleStep?.text);
      if (pickleStep || outcome.status !== 'PASSED')
        this.results.push({
          text: pickleStep ? pickleStep.text : 'hook',
          status: outcome.status,
          ...(outcome.message ? { message: outcome.message } : {}),
        });
    } else if (envelope['testCaseFinished']) {
      const testCase = this.testCases.get(
        this.caseOf.get(envelope['testCaseFinished'].testCaseStartedId) ?? '',
      );
      const pickle = testCase && this.pickles.get(testCase.pickleId);
      if (!envelope['testCaseFinished'].willBeRetried && pickle) this.finishScenario(pickle.name, pickle.uri);
      this.phase = undefined;
    }
  };

  private finishScenario(name: string, uri: string): void {
    const changes: ObjectChange[] = [];
    for (const { change, afterCleanup } of this.current.values()) {
      change.fields = diffFields(change.before, change.after);
      change.restored = diffFields(change.before, afterCleanup).length === 0;
      if (change.steps.length === 0) continue; // touched by the cleanup only (its unbind's events)
      if (HIDDEN.has(change.resource)) {
        delete change.before;
        delete change.after;
        change.fields = [{ path: '(content of a secret, not shown)' }];
      }
      changes.push(change);
    }
    this.scenarios.push({
      name,
      uri,
      steps: this.results,
      changes: changes.filter((c) => c.fields.length > 0 || !c.restored),
    });
  }
}
