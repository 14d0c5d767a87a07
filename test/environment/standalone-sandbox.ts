/**
 * A standalone sandbox as a user starts one (`nodegroup-sandbox --env-file`), read back through
 * the env file it writes, and the environment file a user would write for it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'nodegroup-sandbox.js');

export interface Standalone {
  url: string;
  /** KUBESPHERE_HOST, KUBESPHERE_USERNAME, KUBESPHERE_PASSWORD, KUBECONFIG from its env file. */
  exports: Record<string, string>;
  stop(): Promise<void>;
}

/** `export K='v'` lines (single quotes, `'\''` inside) back to values. */
function parseExports(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^'|'$/g, '').replace(/'\\''/g, "'");
  }
  return out;
}

export async function startStandalone(dir: string): Promise<Standalone> {
  mkdirSync(dir, { recursive: true });
  const envFile = join(dir, 'sandbox.env');
  // As npx runs it: via the shebang (`node --`, or Node would take --env-file as its own option).
  const child: ChildProcess = spawn(BIN, ['--env-file', envFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /^sandbox ready at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    exited.then(() => reject(new Error(`the sandbox exited early: ${err}`)));
  });
  return {
    url,
    exports: parseExports(readFileSync(envFile, 'utf8')),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
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
