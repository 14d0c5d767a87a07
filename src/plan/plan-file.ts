/**
 * plan.json: what a plan predicts, and what an apply checks before it sends anything. Written
 * once by the plan; read back (and checked field by field) by the apply.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import type { SentRequest } from '../twin/target';
import { PlanError } from './errors';
import type { FeatureHash, ModelConstant } from './facts';
import type { ObjectChange, StepResult } from './twin-changes';
import type { PlannedWrite } from './writes';

export const PLAN_FILE = 'plan.json';
export const PLAN_MD = 'plan.md';
export const TWIN_FILE = 'twin.json';
export const PLAN_VERSION = 1;

export interface PlannedScenario {
  key: string;
  name: string;
  uri: string;
  /** cucumber's status on the twin. */
  status: string;
  /** The step it failed at, and why. */
  failedStep?: string;
  message?: string;
  steps: StepResult[];
  writes: PlannedWrite[];
  changes: ObjectChange[];
}

export interface PlanDocument {
  version: number;
  planId: string;
  createdAt: string;
  environment: {
    name: string;
    host: string;
    kubeServer: string;
    protected: boolean;
    allowDestructive: boolean;
  };
  /** The runner arguments (paths, tags, profile), --env taken out: what apply runs again. */
  args: string[];
  vars: Record<string, string>;
  features: FeatureHash[];
  model: { note: string; constants: ModelConstant[] };
  import: { requests: SentRequest[]; onlyReads: boolean; notServed: string[]; objects: number };
  /** Writes the twin's controller made before any runbook ran: where the model disagrees with live. */
  startup: ObjectChange[];
  runId: string;
  /** `other`: undefined, ambiguous, pending or unknown steps (skipped: e.g. @sandbox-only). */
  summary: { passed: number; failed: number; skipped: number; other: number; objectsChanged: number };
  scenarios: PlannedScenario[];
}

export function writePlan(dir: string, plan: PlanDocument, markdown: string): void {
  writeFileAtomic(join(dir, PLAN_FILE), JSON.stringify(plan, null, 1));
  writeFileAtomic(join(dir, PLAN_MD), markdown);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** plan.json of `dir`, or why it cannot be applied (no plan: PLAN_MISSING; anything else: PLAN_DAMAGED). */
export function readPlan(dir: string | undefined): PlanDocument {
  if (!dir)
    throw new PlanError(
      'PLAN_MISSING',
      'apply needs a plan: nodegroup-runbooks apply --env NAME reports/plans/<plan-id>',
    );
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PlanError(
      'PLAN_MISSING',
      `no plan at ${dir}: make one with nodegroup-runbooks plan --env NAME [paths]`,
    );
  const file = join(dir, PLAN_FILE);
  if (!existsSync(file))
    throw new PlanError('PLAN_MISSING', `${dir} holds no ${PLAN_FILE}: it is not a plan folder`);
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PlanError(
      'PLAN_DAMAGED',
      `${file} is damaged: not JSON (${(err as Error).message}); make a new plan`,
    );
  }
  const problems: string[] = [];
  if (!isObject(plan)) problems.push('not an object');
  else {
    if (plan['version'] !== PLAN_VERSION)
      problems.push(`version ${JSON.stringify(plan['version'])}, not ${PLAN_VERSION}`);
    const env = plan['environment'];
    if (!isObject(env) || typeof env['name'] !== 'string' || typeof env['host'] !== 'string')
      problems.push('no environment name and host');
    if (!Array.isArray(plan['args'])) problems.push('no args');
    if (!isObject(plan['vars'])) problems.push('no vars');
    const features = plan['features'];
    if (
      !Array.isArray(features) ||
      features.length === 0 ||
      features.some((f) => !isObject(f) || typeof f['sha256'] !== 'string' || typeof f['uri'] !== 'string')
    )
      problems.push('no feature hashes');
    if (!Array.isArray(plan['scenarios'])) problems.push('no scenarios');
    if (typeof plan['planId'] !== 'string') problems.push('no planId');
  }
  if (problems.length)
    throw new PlanError('PLAN_DAMAGED', `${file} is damaged (${problems.join('; ')}); make a new plan`);
  return plan as PlanDocument;
}
