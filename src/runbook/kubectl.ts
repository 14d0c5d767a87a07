/**
 * The guide's kubectl checks, run for real through zx against the run's kubeconfig and context,
 * with a cache directory of the run's own. The output is kept as evidence and returned, credentials
 * removed (flags such as --token, and `token:` / `client-key-data:` lines of `kubectl config view --raw`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubectlOperation, Operation } from './evidence';
import { redactArgs, redactTextPatterns } from './redact';

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
    if (this.kubeconfig) global.push('--kubeconfig', this.kubeconfig);
    if (this.context) global.push('--context', this.context);
    const started = performance.now();
    const out = await $({ nothrow: true, quiet: true })`kubectl ${global} ${args}`;
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
