/**
 * The guide's kubectl checks, run for real through zx against the run's kubeconfig and context,
 * with a cache directory of the run's own. The output is kept as evidence and returned, credentials
 * removed (flags such as --token, and `token:` / `client-key-data:` lines of `kubectl config view --raw`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { shellWords } from '../../shell';
import { ConfigError } from '../errors';
import type { KubectlOperation, Operation } from '../evidence';
import { redactArgs, redactTextPatterns } from '../redact';

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  private cacheDir: string | undefined;

  constructor(
    private readonly kubeconfig: string | undefined,
    private readonly context: string | undefined,
    private readonly record: (op: Operation) => void,
  ) {}

  /** `kubectl <args>`; a non-zero exit is returned, not thrown, so a step can judge it. */
  async run(args: string[]): Promise<KubectlResult> {
    const { $ } = require('zx') as typeof import('zx');
    this.cacheDir ??= mkdtempSync(join(tmpdir(), 'runbook-kubectl-'));
    const global = ['--cache-dir', this.cacheDir];
    // A list of files is not a --kubeconfig value: kubectl merges it when it is KUBECONFIG.
    const list = this.kubeconfig?.includes(delimiter) ?? false;
    if (this.kubeconfig && !list) global.push('--kubeconfig', this.kubeconfig);
    if (this.context) global.push('--context', this.context);
    const started = performance.now();
    const env = list ? { env: { ...process.env, KUBECONFIG: this.kubeconfig } } : {};
    const out = await $({ nothrow: true, quiet: true, ...env })`kubectl ${global} ${args}`;
    const op: KubectlOperation = {
      kind: 'kubectl',
      command: `kubectl ${redactArgs(args).join(' ')}`,
      exitCode: out.exitCode ?? -1,
      stdout: redactTextPatterns(out.stdout),
      stderr: redactTextPatterns(out.stderr),
      durationMs: performance.now() - started,
    };
    this.record(op);
    return { exitCode: op.exitCode, stdout: op.stdout, stderr: op.stderr };
  }

  close(): void {
    if (this.cacheDir) rmSync(this.cacheDir, { recursive: true, force: true });
    this.cacheDir = undefined;
  }
}

/**
 * The arguments of `kubectl ...` as written in a step, quotes and all (split as a POSIX shell
 * would, src/shell.ts): one command; nothing a shell would expand, pipe or chain.
 */
export function kubectlWords(text: string): string[] {
  let words: string[];
  try {
    words = shellWords(text);
  } catch (err) {
    throw new ConfigError(
      `the kubectl command in the step \`${text}\` cannot run: ${(err as Error).message}; write one kubectl command`,
    );
  }
  const op = words.find((w) => SHELL_OPERATORS.has(w));
  if (op)
    throw new ConfigError(
      `the kubectl command in the step \`${text}\` uses "${op}"; write one kubectl command and check its output with a Then step`,
    );
  const expanding = words.find((w) => /[$`]/.test(w));
  if (expanding)
    throw new ConfigError(
      `the kubectl command in the step \`${text}\` cannot run: the shell syntax "${expanding.includes('$') ? '$' : '`'}" is not expanded here; write the value itself`,
    );
  if (words[0] === 'kubectl') words.shift();
  if (words.length === 0)
    throw new ConfigError('the kubectl step names no command; e.g. I run kubectl "get nodes"');
  return words;
}

const SHELL_OPERATORS: ReadonlySet<string> = new Set(['|', '||', '&&', '&', ';', '>', '>>', '<']);
