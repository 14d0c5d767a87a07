/**
 * The programs a run needs, checked at its start instead of failing mid-run: kubectl always (the
 * runbooks' kubectl steps), Java when a report is asked for (Allure's generator runs on it).
 */
import { spawnSync } from 'node:child_process';
import { checkJava } from '../report/generate-checks';
import { EnvironmentError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

function runs(command: string, args: string[], env: Env): boolean {
  const result = spawnSync(command, args, {
    env: env as NodeJS.ProcessEnv,
    stdio: 'ignore',
    timeout: 20_000,
  });
  return !result.error && result.status === 0;
}

export function checkTools(need: { kubectl?: boolean; java?: boolean }, env: Env = process.env): void {
  const missing: string[] = [];
  if (need.kubectl && !runs('kubectl', ['version', '--client=true', '-o', 'json'], env))
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
