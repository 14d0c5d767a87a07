/**
 * `nodegroup-api diagnose NODEGROUP [--<kind> NAME]...`: the guide's
 * troubleshooting checklist as findings (table by default, -o json|yaml). Exit 0 when no check
 * fails, 1 when one does. Reads through ks-apiserver with the same host and login as every other
 * command, or through a kubeconfig (--kubeconfig, client-node loaded only then). The diagnosis
 * library is loaded inside the action so other commands start as fast as before.
 */
import type { Command } from 'commander';
import { bindingKindSpecs } from '../binding-kinds';
import { UsageError } from '../kapi/errors';
import { CliContext, type CliIO, type GlobalOptions } from './context';
import { examples } from './help';
import { NAME_PREFIX } from './output';

/** Thrown after the findings are printed when a check failed: main() answers exit code 1. */
export class DiagnosisFailedError extends Error {
  constructor(group: string, failing: number) {
    super(`nodegroup ${group}: ${failing} failing check(s), see the findings above`);
    this.name = 'DiagnosisFailedError';
  }
}

/** commander's options: `kubeconfig`, `context` and one per binding kind (its cliFlag, camel-cased). */
type DiagnoseFlags = { kubeconfig?: string; context?: string } & Record<string, string | undefined>;

/** commander's key of a flag: `--ip-pool` is `ipPool`. */
const optionKey = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export async function runDiagnose(ctx: CliContext, group: string, flags: DiagnoseFlags): Promise<void> {
  if (ctx.options.dryRun) {
    throw new UsageError(
      'diagnose only reads: --dry-run does not apply',
      `usage: nodegroup-api diagnose ${group}`,
    );
  }
  if (flags.context !== undefined && flags.kubeconfig === undefined) {
    throw new UsageError(
      '--context needs --kubeconfig',
      'e.g. --kubeconfig ~/.kube/config --context admin@host',
    );
  }
  const lib = require('../diagnose') as typeof import('../diagnose');
  const target: import('../diagnose').Target = { nodegroup: group };
  for (const k of bindingKindSpecs()) {
    const name = flags[optionKey(k.cliFlag)];
    if (name !== undefined) target[k.kind] = name;
  }
  lib.checkTarget(target); // bad names are usage errors, before any login
  let source: import('../diagnose').ClusterSource;
  if (flags.kubeconfig !== undefined) {
    const { KubeReader } = require('../kube/reader') as typeof import('../kube/reader');
    let reader: import('../kube/reader').KubeReader;
    try {
      reader = KubeReader.fromKubeconfig(flags.kubeconfig, flags.context);
    } catch (err) {
      throw new UsageError(
        (err as Error).message,
        'pass --kubeconfig a readable kubeconfig file (and --context one of its contexts)',
      );
    }
    source = lib.kubeReaderSource(reader);
  } else {
    source = lib.kapiSource(ctx.client(), ctx.options.cluster ? { cluster: ctx.options.cluster } : {});
  }
  const diagnosis = await lib.diagnose(source, target);
  const output = ctx.options.output ?? 'table';
  if (output === 'name') {
    ctx.io.stdout.write(`${NAME_PREFIX}${group}\n`);
  } else {
    // The findings table is already the wide one.
    ctx.io.stdout.write(lib.renderDiagnosis(diagnosis, output === 'wide' ? 'table' : output));
  }
  if (!diagnosis.healthy) throw new DiagnosisFailedError(group, diagnosis.counts.fail);
}

/** Add the command to the program (the program file calls this once). */
export function addDiagnoseCommand(program: Command, io: CliIO, contexts: CliContext[]): void {
  const kinds = bindingKindSpecs();
  const command = program
    .command('diagnose <nodegroup>')
    .description("run the guide's troubleshooting checklist on a nodegroup; exit 1 when a check fails")
    .usage(`<nodegroup> ${kinds.map((k) => `[--${k.cliFlag} <name>]`).join(' ')} [-o table|json|yaml]`);
  for (const k of kinds) command.option(`--${k.cliFlag} <name>`, `a ${k.kind} expected in the group`);
  command
    .option('--kubeconfig <path>', 'read Kubernetes objects through this kubeconfig instead of ks-apiserver')
    .option('--context <name>', 'kubeconfig context (with --kubeconfig)')
    .addHelpText(
      'after',
      examples([
        'nodegroup-api diagnose edge-a',
        'nodegroup-api diagnose edge-a --node worker-3 -o yaml',
        'nodegroup-api diagnose edge-a --kubeconfig ~/.kube/config --context admin@host',
      ]),
    )
    .action(async (group: string, _flags: unknown, command: Command) => {
      const ctx = new CliContext(io, command.optsWithGlobals<GlobalOptions>());
      contexts.push(ctx);
      await runDiagnose(ctx, group, command.opts<DiagnoseFlags>());
    });
}
