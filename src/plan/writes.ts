/**
 * The writes of a run, read from its evidence (src/runbook/evidence.ts): every HTTP request that
 * is not a read (the login's POST /oauth/token aside) and every kubectl command that changes
 * something, per scenario and step, in order. The same function reads a plan's run on the twin
 * and an apply's run on live, so the two can be compared write by write.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation, RunRecord, ScenarioRecord } from '../runbook/evidence';

export interface PlannedWrite {
  via: 'http' | 'kubectl';
  /** The step that sent it, or `cleanup` (the After hook undoing the scenario's changes). */
  step: string;
  /** HTTP: method and path (with query); kubectl: the verb. */
  method: string;
  /** HTTP: the path; kubectl: the command (redacted). */
  path: string;
  body?: unknown;
  /** HTTP status or kubectl exit code. */
  result?: number;
}

export interface ScenarioWrites {
  key: string;
  name: string;
  uri: string;
  writes: PlannedWrite[];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** kubectl verbs that change an object (`rollout restart`, `set image` included). */
const KUBECTL_WRITES = new Set([
  'apply',
  'annotate',
  'create',
  'cordon',
  'delete',
  'drain',
  'edit',
  'label',
  'patch',
  'replace',
  'scale',
  'set',
  'taint',
  'uncordon',
]);

/** kubectl's global flags that take the next word as their value. */
const VALUE_FLAGS = new Set([
  '--kubeconfig',
  '--context',
  '--cluster',
  '--user',
  '-n',
  '--namespace',
  '-s',
  '--server',
  '--as',
  '--token',
  '--request-timeout',
]);

/** The verb of `kubectl [flags] VERB ...`, and whether it writes. */
export function kubectlWriteVerb(command: string): string | undefined {
  const words = command.split(/\s+/).filter(Boolean);
  if (words[0] === 'kubectl') words.shift();
  // The verb: the first word that is neither a flag nor the value of a global flag before it.
  let verb: string | undefined;
  for (let i = 0; i < words.length && !verb; i++) {
    if (VALUE_FLAGS.has(words[i]!)) i++;
    else if (!words[i]!.startsWith('-')) verb = words[i];
  }
  if (!verb) return undefined;
  if (verb === 'rollout') return words.includes('restart') || words.includes('undo') ? 'rollout' : undefined;
  return KUBECTL_WRITES.has(verb) ? verb : undefined;
}

function writeOf(op: Operation, step: string): PlannedWrite | undefined {
  if (op.kind === 'http') {
    const method = op.request.method.toUpperCase();
    if (READ_METHODS.has(method)) return undefined;
    const url = new URL(op.request.url, 'http://target');
    if (url.pathname === '/oauth/token') return undefined;
    return {
      via: 'http',
      step,
      method,
      path: `${url.pathname}${url.search}`,
      ...(op.request.body !== undefined ? { body: op.request.body } : {}),
      ...(op.response ? { result: op.response.status } : {}),
    };
  }
  if (op.kind === 'kubectl') {
    const verb = kubectlWriteVerb(op.command);
    if (!verb) return undefined;
    return { via: 'kubectl', step, method: verb, path: op.command, result: op.exitCode };
  }
  return undefined;
}

export const scenarioKey = (s: { uri: string; name: string }) => `${s.uri}::${s.name}`;

export function scenarioWrites(scenario: ScenarioRecord): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const step of scenario.steps)
    for (const op of step.operations) {
      const w = writeOf(op, step.text);
      if (w) writes.push(w);
    }
  for (const op of scenario.cleanup) {
    const w = writeOf(op, 'cleanup');
    if (w) writes.push(w);
  }
  return writes;
}

/** Every scenario of the runs' evidence (one file per worker), in the order they ran. */
export function runWrites(runs: readonly RunRecord[]): ScenarioWrites[] {
  const out: ScenarioWrites[] = [];
  for (const run of runs)
    for (const s of run.scenarios)
      out.push({ key: scenarioKey(s), name: s.name, uri: s.uri, writes: scenarioWrites(s) });
  return out;
}

/**
 * A write as it compares across runs: the run's unique names (its run tag), the target's
 * kubeconfig and context, and the result left out.
 */
export function comparable(write: PlannedWrite, runTags: readonly string[]): string {
  let text = JSON.stringify({
    via: write.via,
    step: write.step,
    method: write.method,
    path: write.path,
    body: write.body,
  });
  text = text.replace(/--(kubeconfig|context)[= ]\S+/g, '');
  for (const tag of runTags) if (tag) text = text.split(tag).join('<run>');
  return text;
}

/** The evidence files of a run (one per worker: runs/<run-id>/evidence-worker-N.json). */
export function readRunEvidence(runDir: string): RunRecord[] {
  let files: string[];
  try {
    files = readdirSync(runDir)
      .filter((f) => /^evidence-worker-.*\.json$/.test(f))
      .sort();
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(runDir, f), 'utf8')) as RunRecord);
}
