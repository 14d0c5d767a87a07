/** The commander definition of `nodegroup-api`: the guide helper's commands and flags, plus ours. */
import { Command, Option } from 'commander';
import { bindingKindSpecs, bindingKindWords } from '../binding-kinds';
import { UsageError } from '../kapi/errors';
import { type NodeGroupSpec, nodegroupRequests } from '../kapi/nodegroups';
import { CliContext, type CliIO, type GlobalOptions, parseTimeout } from './context';
import { addDiagnoseCommand } from './diagnose';
import { clearCache, login } from './login';
import { OUTPUT_FORMATS } from './output';
import { rawRequest } from './raw-request';

type Action = (
  ctx: CliContext,
  args: string[],
  flags: Record<string, string | undefined>,
) => Promise<void> | void;

export function buildProgram(io: CliIO, contexts: CliContext[]): Command {
  const program = new Command('nodegroup-api')
    .description('KubeSphere nodegroup KAPI client (the operations guide helper, in TypeScript)')
    .option(
      '--host <url>',
      'ks-apiserver URL (default: $KUBESPHERE_HOST, else http://ks-apiserver.kubesphere-system)',
    )
    .option('--token <token>', 'bearer token (default: $KUBESPHERE_TOKEN, else the token cache)')
    .option('-q, --quiet', 'compact JSON output')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS))
    .option('--cluster <name>', 'member cluster (multi-cluster paths /kapis/clusters/NAME/...)')
    .option('--dry-run', 'print the request and an equivalent curl command; send nothing')
    .option('--insecure', 'skip TLS verification for an https host')
    .option('--timeout <seconds>', 'timeout of each request (default 30)', parseTimeout)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  /** Wrap an action: build the context from the global options, pass positional args and flags. */
  const act =
    (action: Action) =>
    async (...received: unknown[]) => {
      const command = received[received.length - 1] as Command;
      const ctx = new CliContext(io, command.optsWithGlobals<GlobalOptions>());
      contexts.push(ctx);
      await action(ctx, received.slice(0, -2) as string[], command.opts());
    };
  const spec = (flags: Record<string, string | undefined>): NodeGroupSpec => {
    const picked: NodeGroupSpec = {};
    if (flags['alias'] !== undefined) picked.alias = flags['alias'];
    if (flags['description'] !== undefined) picked.description = flags['description'];
    if (flags['manager'] !== undefined) picked.manager = flags['manager'];
    return picked;
  };
  const scope = (ctx: CliContext) => (ctx.options.cluster ? { cluster: ctx.options.cluster } : {});

  program
    .command('login')
    .description('log in with the password grant and cache the token in ~/.kubesphere_token')
    .usage('[--username <name>] [--password <password>]')
    .option('--username <name>', 'user (default: $KUBESPHERE_USERNAME)')
    .option('--password <password>', 'password (default: $KUBESPHERE_PASSWORD, else asked on a terminal)')
    .action(act((ctx, _args, flags) => login(ctx, flags)));
  program
    .command('clear-cache')
    .description('remove the token cache')
    .action(act((ctx) => clearCache(ctx)));
  program
    .command('request <method> <path> [body]')
    .description('raw request; a PATCH body is a JSON Patch array')
    .action(
      act((ctx, [method, path, body]) => ctx.run(rawRequest(method!, path!, body, ctx.options.cluster))),
    );

  const nodegroup = program
    .command('nodegroup')
    .description('list, get, create, patch and delete nodegroups');
  nodegroup
    .command('list')
    .description('list nodegroups')
    .action(act((ctx) => ctx.run(nodegroupRequests.list(scope(ctx)))));
  nodegroup
    .command('get <name>')
    .description('show one nodegroup')
    .action(act((ctx, [name]) => ctx.run(nodegroupRequests.get(name!, scope(ctx)))));
  nodegroup
    .command('create')
    .description('create a nodegroup')
    .usage('--name <name> [--alias <alias>] [--description <text>] [--manager <user>]')
    .requiredOption('--name <name>', 'nodegroup name (DNS-1123)')
    .option('--alias <alias>')
    .option('--description <text>')
    .option('--manager <user>')
    .action(
      act((ctx, _args, flags) => ctx.run(nodegroupRequests.create(flags['name']!, spec(flags), scope(ctx)))),
    );
  nodegroup
    .command('patch <name>')
    .description('change alias, description or manager')
    .usage('<name> [--alias <alias>] [--description <text>] [--manager <user>]')
    .option('--alias <alias>')
    .option('--description <text>')
    .option('--manager <user>')
    .action(
      act((ctx, [name], flags) => {
        const changes = spec(flags);
        if (Object.keys(changes).length === 0) {
          throw new UsageError(
            'nothing to patch',
            'usage: nodegroup-api nodegroup patch NAME [--alias A] [--description D] [--manager M]',
          );
        }
        return ctx.run(nodegroupRequests.patchSpec(name!, changes, scope(ctx)));
      }),
    );
  nodegroup
    .command('delete <name>')
    .description('delete a nodegroup (its finalizer waits until its nodes are unbound)')
    .action(act((ctx, [name]) => ctx.run(nodegroupRequests.delete(name!, scope(ctx)))));

  for (const verb of ['bind', 'unbind'] as const) {
    const parent = program
      .command(verb)
      .description(`${verb} a ${bindingKindWords()} ${verb === 'bind' ? 'to' : 'from'} a nodegroup`);
    for (const { kind, cliFlag } of bindingKindSpecs()) {
      parent
        .command(kind)
        .description(`${verb} a ${kind}`)
        .usage(`--nodegroup <name> --${cliFlag} <name>`)
        .requiredOption('--nodegroup <name>', 'nodegroup name')
        .requiredOption(`--${cliFlag} <name>`, `${kind} name`)
        .action(
          act((ctx, _args, flags) => {
            const group = flags['nodegroup']!;
            const target = flags[camel(cliFlag)]!;
            const done = `${kind} '${target}' ${verb === 'bind' ? 'bound to' : 'unbound from'} nodegroup '${group}'`;
            return ctx.run(nodegroupRequests[verb](kind, group, target, scope(ctx)), done);
          }),
        );
    }
  }
  addDiagnoseCommand(program, io, contexts);
  showUsageAfterErrors(program);
  return program;
}

/** commander's key of a flag: `--target-name` -> `targetName`. */
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** After a parse error, each command shows its own usage line (the correct form), not all help. */
function showUsageAfterErrors(command: Command, prefix = ''): void {
  const name = prefix ? `${prefix} ${command.name()}` : command.name();
  command.showHelpAfterError(`usage: ${name} ${command.usage()}\n(run '${name} --help' for details)`);
  for (const sub of command.commands) showUsageAfterErrors(sub, name);
}
