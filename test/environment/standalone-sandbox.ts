/**
 * A standalone sandbox as a user starts one (`nodegroup-sandbox --env-file`), read back through
 * the env file it writes, and the environment file a user would write for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSandboxProcess } from '../standalone-sandbox-process';

export interface Standalone {
  url: string;
  /** KUBESPHERE_HOST, KUBESPHERE_USERNAME, KUBESPHERE_PASSWORD, KUBECONFIG from its env file. */
  exports: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStandalone(dir: string): Promise<Standalone> {
  mkdirSync(dir, { recursive: true });
  const sandbox = await startSandboxProcess(join(dir, 'sandbox.env'));
  return { url: sandbox.url, exports: sandbox.exports, stop: () => sandbox.stop() };
}

/** environments/<name>.yaml for a sandbox, credentials named (never inline). */
export function writeEnvironmentFile(
  dir: string,
  name: string,
  content: { host: string; kubeconfig: string; protected?: boolean; vars?: Record<string, string> },
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      description: `standalone sandbox as a live target (${name})`,
      host: content.host,
      kubeconfig: content.kubeconfig,
      protected: content.protected ?? false,
      credentials: { username: 'SANDBOX_USER', password: 'SANDBOX_PASSWORD' },
      ...(content.vars ? { vars: content.vars } : {}),
    }),
  );
  return file;
}
