/** The commander definition of `nodegroup-api`: the guide helper's commands and flags, plus ours. */
import { Command, Option } from 'commander';
import { bindingKindSpecs, bindingKindWords } from '../binding-kinds';
import { UsageError } from '../kapi/errors';
import { type NodeGroupSpec, nodegroupRequests } from '../kapi/nodegroups';
import { addCompletionCommand } from './completion';
import { CliContext, type CliIO, type GlobalOptions, parseTimeout } from './context';
import { addDiagnoseCommand } from './diagnose';
import { examples } from './help';
import { clearCache, login } from './login';
import { OUTPUT_FORMATS } from './output';
import { rawRequest } from './raw-request';
import { packageVersion } from './version';

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
    .option('--no-headers', 'tables (-o table|wide) without their header line')
    .option('--cluster <name>', 'member cluster (multi-cluster paths /kapis/clusters/NAME/...)')
    .option('--dry-run', 'print the request and an equivalent curl command; send nothing')
    .option('--insecure', 'skip TLS verification for an https host')
    .option('--timeout <seconds>', 'timeout of each request (default 30)', parseTimeout)
    .version(packageVersion(), '--version', 'print the version')
    .addHelpText(
      'after',
      examples([
        'nodegroup-api login',
        'nodegroup-api nodegroup list -o table',
        'nodegroup-api bind node --nodegroup edge-a --node worker-3',
        'source <(nodegroup-api completion bash)',
      ]),
    )
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
    .addHelpText(
      'after',
      examples([
        'nodegroup-api login',
        'KUBESPHERE_USERNAME=admin KUBESPHERE_PASSWORD=... nodegroup-api login',
        'nodegroup-api --host https://ks.example.com login --username admin',
      ]),
    )
    .action(act((ctx, _args, flags) => login(ctx, flags)));
  program
    .command('clear-cache')
    .description('remove the token cache')
    .addHelpText('after', examples(['nodegroup-api clear-cache']))
    .action(act((ctx) => clearCache(ctx)));
  program
    .command('request <method> <path> [body]')
    .description('raw request; a PATCH body is a JSON Patch array')
    .addHelpText(
      'after',
      examples([
        'nodegroup-api request GET /kapis/infra.kubesphere.io/v1alpha1/nodegroups',
        'nodegroup-api request PATCH /kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a \'[{"op":"add","path":"/spec/alias","value":"A"}]\'',
      ]),
    )
    .action(
      act((ctx, [method, path, body]) => ctx.run(rawRequest(method!, path!, body, ctx.options.cluster))),
    );

  const nodegroup = program
    .command('nodegroup')
    .description('list, get, create, patch and delete nodegroups')
    .addHelpText(
      'after',
      examples(['nodegroup-api nodegroup list -o table', 'nodegroup-api nodegroup get edge-a']),
    );
  nodegroup
    .command('list')
    .description('list nodegroups')
    .addHelpText(
      'after',
      examples([
        'nodegroup-api nodegroup list',
        'nodegroup-api nodegroup list -o wide',
        'nodegroup-api nodegroup list -o name --no-headers',
      ]),
    )
    .action(act((ctx) => ctx.run(nodegroupRequests.list(scope(ctx)))));
  nodegroup
    .command('get <name>')
    .description('show one nodegroup')
    .addHelpText(
      'after',
      examples(['nodegroup-api nodegroup get edge-a', 'nodegroup-api nodegroup get edge-a -o yaml']),
    )
    .action(act((ctx, [name]) => ctx.run(nodegroupRequests.get(name!, scope(ctx)))));
  nodegroup
    .command('create')
    .description('create a nodegroup')
    .usage('--name <name> [--alias <alias>] [--description <text>] [--manager <user>]')
    .requiredOption('--name <name>', 'nodegroup name (DNS-1123)')
    .option('--alias <alias>')
    .option('--description <text>')
    .option('--manager <user>')
    .addHelpText(
      'after',
      examples([
        'nodegroup-api nodegroup create --name edge-b --alias "Edge B" --manager admin',
        'nodegroup-api --dry-run nodegroup create --name edge-b',
      ]),
    )
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
    .addHelpText(
      'after',
      examples([
        'nodegroup-api nodegroup patch edge-b --description "racks 3-4"',
        'nodegroup-api --dry-run nodegroup patch edge-b --alias B --manager admin',
      ]),
    )
    .action(
      act((ctx, [name], flags) => {
        const changes = spec(flags);
        if (Object.keys(changes).length === 0) {
          throw new UsageError(
            'nothing to patch',
            'usage: nodegroup-api nodegroup patch NAME [--alias A] [--description D] [--manager M]',
          );
        }
        // The guide helper's wire format: a JSON Patch array, `add` on /spec/<field>.
        return ctx.run(nodegroupRequests.setSpecFields(name!, changes, scope(ctx)));
      }),
    );
  nodegroup
    .command('delete <name>')
    .description('delete a nodegroup (its finalizer waits until its nodes are unbound)')
    .addHelpText(
      'after',
      examples(['nodegroup-api nodegroup delete edge-b', 'nodegroup-api --dry-run nodegroup delete edge-b']),
    )
    .action(act((ctx, [name]) => ctx.run(nodegroupRequests.delete(name!, scope(ctx)))));

  for (const verb of ['bind', 'unbind'] as const) {
    const parent = program
      .command(verb)
      .description(`${verb} a ${bindingKindWords()} ${verb === 'bind' ? 'to' : 'from'} a nodegroup`)
      .addHelpText('after', examples([`nodegroup-api ${verb} node --nodegroup edge-a --node worker-3`]));
    for (const { kind, cliFlag } of bindingKindSpecs()) {
      parent
        .command(kind)
        .description(`${verb} a ${kind}`)
        .usage(`--nodegroup <name> --${cliFlag} <name>`)
        .requiredOption('--nodegroup <name>', 'nodegroup name')
        .requiredOption(`--${cliFlag} <name>`, `${kind} name`)
        .addHelpText('after', examples(bindingExamples(verb, kind, cliFlag)))
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
  addCompletionCommand(program, io);
  showUsageAfterErrors(program);
  return program;
}

/** commander's key of a flag: `--target-name` -> `targetName`. */
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function bindingExamples(verb: 'bind' | 'unbind', kind: string, flag: string): string[] {
  const line = `${verb} ${kind} --nodegroup edge-a --${flag} <${kind}>`;
  return [`nodegroup-api ${line}`, `nodegroup-api --dry-run ${line}`];
}

/** After a parse error, each command shows its own usage line (the correct form), not all help. */
function showUsageAfterErrors(command: Command, prefix = ''): void {
  const name = prefix ? `${prefix} ${command.name()}` : command.name();
  command.showHelpAfterError(`usage: ${name} ${command.usage()}\n(run '${name} --help' for details)`);
  for (const sub of command.commands) showUsageAfterErrors(sub, name);
}
