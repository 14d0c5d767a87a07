/**
 * The faults the sandbox knows, in the order their request hooks run. Adding a fault: a module
 * beside these (name, options schema, hooks), its entry here, and its test.
 */
import { controllerPaused } from './controller-paused';
import type { AnyFaultModule } from './fault';
import { ippoolSync } from './ippool-sync';
import { kapiErrors } from './kapi-errors';
import { latency } from './latency';
import { memberUnreachable } from './member-unreachable';
import { stuckFinalizer } from './stuck-finalizer';
import { tokenExpiry } from './token-expiry';

export const FAULT_MODULES: AnyFaultModule[] = [
  controllerPaused,
  stuckFinalizer,
  ippoolSync,
  latency,
  memberUnreachable,
  kapiErrors,
  tokenExpiry,
];
