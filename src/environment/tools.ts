/**
 * The programs a run needs, checked at its start instead of failing mid-run: kubectl always (the
 * runbooks' kubectl steps), Java when a report is asked for (Allure's generator runs on it).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EnvironmentError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

function runs(command: string, args: string[], env: Env): boolean {
  const result = spawnSync(command, args, { env: env as NodeJS.ProcessEnv, stdio: 'ignore', timeout: 20_000 });
  return !result.error && result.status === 0;
}

export function checkTools(need: { kubectl?: boolean; java?: boolean }, env: Env = process.env): void {
  const missing: string[] = [];
  if (need.kubectl && !runs('kubectl', ['version', '--client=true', '-o', 'json'], env))
    missing.push('kubectl (https://kubernetes.io/docs/tasks/tools/; the runbooks run kubectl steps)');
  if (need.java) {
    const java = env['JAVA_HOME'] ? join(env['JAVA_HOME'], 'bin', 'java') : 'java';
    if (!runs(java, ['-version'], env))
      missing.push(
        `Java (${java}${env['JAVA_HOME'] ? ' from JAVA_HOME' : ' on PATH'}; the report generator needs a JRE 8+)`,
      );
  }
  if (missing.length)
    throw new EnvironmentError(
      'ENV_TOOL_MISSING',
      `missing before the start (nothing was run): ${missing.join('; ')}`,
    );
}
