/**
 * What one cucumber process (one worker under --parallel) shares across scenarios: the run
 * context and, on the default profile, its own embedded sandbox with the state before the run.
 */
import type { RunContext, StateSnapshot } from '../src/runbook';
import type { Sandbox } from '../src/sandbox/sandbox';

export interface ProcessState {
  ctx: RunContext;
  sandbox?: Sandbox;
  baseline?: StateSnapshot;
}

let current: ProcessState | undefined;

export function setProcessState(state: ProcessState | undefined): void {
  current = state;
}

export function processState(): ProcessState {
  if (!current)
    throw new Error('the run context is missing: the BeforeAll hook failed (see its error above)');
  return current;
}
