/**
 * The programs a run needs, checked at its start instead of failing mid-run: kubectl always (the
 * runbooks' kubectl steps), Java when a report is asked for (Allure's generator runs on it).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { checkJava } from '../report/generate-checks';
import { EnvironmentError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `command` is an executable file on PATH, as a shell would find it. A lookup, not a run: spawning
 * `kubectl version` cost every run ~0.1 s before its first step.
 */
function onPath(command: string, env: Env): boolean {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return true;
    } catch {
      // not here
    }
  }
  return false;
}

export function checkTools(need: { kubectl?: boolean; java?: boolean }, env: Env = process.env): void {
  const missing: string[] = [];
  if (need.kubectl && !onPath('kubectl', env))
    missing.push('kubectl (https://kubernetes.io/docs/tasks/tools/; the runbooks run kubectl steps)');
  if (need.java) {
    try {
      checkJava(env as NodeJS.ProcessEnv); // the report generator's own check, with how to install Java
    } catch (err) {
      missing.push(`Java for the report: ${(err as Error).message}`);
    }
  }
  if (missing.length)
    throw new EnvironmentError('ENV_TOOL_MISSING', `needed and not found: ${missing.join('; ')}`);
}
