/**
 * A standalone `nodegroup-sandbox` process as a user starts one (via the bin's shebang, as npx
 * does: `node --`, or Node would take --env-file as its own option), ready once it prints its
 * ready line, read back through the env file it writes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellWords } from '../src/shell';

const BIN = join(__dirname, '..', '..', 'bin', 'nodegroup-sandbox.js');

export interface SandboxProcess {
  child: ChildProcess;
  /** ks-apiserver URL from the ready line. */
  url: string;
  /** The env file's exports: KUBESPHERE_HOST/USERNAME/PASSWORD, KUBECONFIG, the viewer's login. */
  exports: Record<string, string>;
  stop(): Promise<void>;
}

/** `export K='v'` lines back to values, as a shell reads them. */
export function parseExports(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [word, assignment] = shellWords(line);
    if (word !== 'export' || !assignment) continue;
    const at = assignment.indexOf('=');
    if (at > 0) out[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  return out;
}

/** Start `nodegroup-sandbox --env-file ENVFILE ARGS...`; rejects with its stderr when it exits first. */
export async function startSandboxProcess(envFile: string, args: string[] = []): Promise<SandboxProcess> {
  const child = spawn(BIN, ['--env-file', envFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /^sandbox ready at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    exited.then(() => reject(new Error(`the sandbox exited before it was ready: ${err}`)));
  });
  return {
    child,
    url,
    exports: parseExports(readFileSync(envFile, 'utf8')),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
