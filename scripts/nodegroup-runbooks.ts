/**
 * `nodegroup-runbooks <command>`: the one entry of the runner (bin/nodegroup-runbooks.js; the npm
 * scripts call it). Each command loads only its own modules.
 *   run [--report] [options]  the runbooks (options go to cucumber-js); --report: then the report (npm start)
 *   revert [--run-id ID]      undo what a killed run left
 *   report [--results DIR]    the Allure report and the single file from the last run's results
 *   steps [--markdown]        the step catalogue, grouped by domain
 *   plan --env NAME [PATH...] the runbooks on a twin of live: reports/plans/<id>/ (nothing written to live)
 *   apply --env NAME PLAN     the plan's runbooks on live, after the drift and hash checks
 */
import { distance } from 'fastest-levenshtein';
import { packageVersion } from '../src/cli/version';
import { runAsCommand } from './command';

type Output = { write(text: string): unknown };

interface Subcommand {
  summary: string;
  usage: string;
  examples: string[];
  run(args: string[], out: Output, err: Output): Promise<number>;
}

/**
 * Options every runner command passes to the runner itself, before cucumber-js sees the rest.
 * This is the one place to add a runner option (e.g. `--env NAME`): take it out of `args` here
 * and set what it means (an environment variable, a world parameter) before the run starts.
 */
export function runnerOptions(args: string[]): { report: boolean; rest: string[] } {
  const rest: string[] = [];
  let report = false;
  for (const arg of args) {
    if (arg === '--report') report = true;
    else rest.push(arg);
  }
  return { report, rest };
}

export const COMMANDS: Record<string, Subcommand> = {
  run: {
    summary: 'run the runbooks (all, a folder, a file or file:line); options go to cucumber-js',
    usage: 'nodegroup-runbooks run [--report] [-p PROFILE] [cucumber-js options] [PATH...]',
    examples: [
      'nodegroup-runbooks run',
      'nodegroup-runbooks run features/binding/node.feature',
      'nodegroup-runbooks run -p readonly',
      'nodegroup-runbooks run -p dev features/nodegroup/inspect.feature   # steps from TypeScript',
      'nodegroup-runbooks run --report --parallel 2',
      'nodegroup-runbooks run --clusters all -p readonly   # once per member cluster, through the host',
      'RUNBOOK_RUN_ID=nightly-1 nodegroup-runbooks run --shard 1/2   # one machine of two',
    ],
    async run(args, out) {
      // `--plan` / `--apply PLAN` (npm run runbooks -- --env NAME --plan): the plan and apply commands.
      if (args.includes('--plan'))
        return COMMANDS['plan']!.run(
          args.filter((a) => a !== '--plan'),
          out,
          out,
        );
      if (args.includes('--apply'))
        return COMMANDS['apply']!.run(
          args.filter((a) => a !== '--apply'),
          out,
          out,
        );
      const { report, rest } = runnerOptions(args);
      if (report) return (require('./main-job') as typeof import('./main-job')).mainJob(rest, out);
      return (require('./run-runbooks') as typeof import('./run-runbooks')).runRunbooks(rest, out);
    },
  },
  plan: {
    summary: 'run the runbooks on a twin of a live environment and write the plan (nothing written to live)',
    usage: 'nodegroup-runbooks plan --env NAME [cucumber-js options] [PATH...]',
    examples: [
      'nodegroup-runbooks plan --env staging features/binding/node.feature',
      'nodegroup-runbooks plan --env prod --tags @operation',
    ],
    async run(args, out) {
      return (require('./plan') as typeof import('./plan')).plan(args, out);
    },
  },
  apply: {
    summary: "run a plan's runbooks on live, refused on drift or a changed feature file",
    usage: 'nodegroup-runbooks apply --env NAME reports/plans/<plan-id>',
    examples: ['nodegroup-runbooks apply --env staging reports/plans/261202070000-a1b2c3'],
    async run(args, out) {
      return (require('./apply') as typeof import('./apply')).apply(args, out);
    },
  },
  revert: {
    summary: "undo a run's changes from its ledger (the latest run by default)",
    usage: 'nodegroup-runbooks revert [--run-id ID] [--reports DIR] [--env NAME] [--force]',
    examples: ['nodegroup-runbooks revert', 'nodegroup-runbooks revert --run-id 261201093000-a1b2c3'],
    async run(args, out) {
      return (require('./revert') as typeof import('./revert')).revert(args, process.env, out);
    },
  },
  report: {
    summary: 'generate the Allure report and the single-file report from the last results',
    usage:
      'nodegroup-runbooks report [--results DIR] [--report DIR] [--single-file FILE] [--name TITLE] [--merge DIR...]',
    examples: [
      'nodegroup-runbooks report',
      'nodegroup-runbooks report --name "nightly readonly"',
      'RUNBOOK_REPORTS_DIR=merged nodegroup-runbooks report --merge shard-1 shard-2   # shards of one run',
    ],
    async run(args, out, err) {
      return (require('./report') as typeof import('./report')).main(args, out, err);
    },
  },
  steps: {
    summary: 'list every step with an example, grouped by domain (--markdown: docs/steps.md)',
    usage: 'nodegroup-runbooks steps [--markdown]',
    examples: ['nodegroup-runbooks steps', 'nodegroup-runbooks steps | grep -i bind'],
    async run(args, out, err) {
      const unknown = args.filter((a) => a !== '--markdown');
      if (unknown.length > 0) {
        err.write(
          `nodegroup-runbooks steps: unknown argument ${unknown[0]}\nusage: ${COMMANDS['steps']!.usage}\n`,
        );
        return 2;
      }
      const lib = require('./step-catalogue') as typeof import('./step-catalogue');
      const { PACKAGE_ROOT } = require('./run-runbooks') as typeof import('./run-runbooks');
      const domains = await lib.catalogue(PACKAGE_ROOT);
      out.write(args.includes('--markdown') ? lib.renderMarkdown(domains) : lib.renderText(domains));
      return 0;
    },
  },
  twin: {
    summary: 'write the twin (sandbox state) of the live environment, or check a twin file for drift',
    usage: 'nodegroup-runbooks twin --out FILE | --drift FILE',
    examples: [
      'nodegroup-runbooks twin --out /tmp/staging.twin.json',
      'nodegroup-runbooks twin --drift /tmp/staging.twin.json',
    ],
    async run(args, out, err) {
      return (require('./twin') as typeof import('./twin')).main(args, { out, err, env: process.env });
    },
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'usage: nodegroup-runbooks <command> [options]',
    '',
    'Gherkin runbooks for the KubeSphere NodeGroup extension.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options: --version, --help; `nodegroup-runbooks <command> --help` for a command.',
    '',
    'Examples:',
    '  nodegroup-runbooks run -p smoke',
    '  nodegroup-runbooks steps',
    '',
  ].join('\n');
}

function commandHelp(command: Subcommand): string {
  return [
    `usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** The closest known names (distance <= 2), for "did you mean". */
export function closestName(given: string, names: string[]): string | undefined {
  const ranked = names.map((name) => ({ name, d: distance(given, name) })).sort((a, b) => a.d - b.d);
  return ranked[0] && ranked[0].d <= Math.max(2, Math.floor(given.length / 3)) ? ranked[0].name : undefined;
}

export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr) {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    const command = topic ? COMMANDS[topic] : undefined;
    out.write(command ? commandHelp(command) : help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    out.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const near = closestName(name, Object.keys(COMMANDS));
    err.write(
      `nodegroup-runbooks: unknown command '${name}'${near ? `\n(Did you mean ${near}?)` : ''}\n` +
        `commands: ${Object.keys(COMMANDS).join(', ')}; run 'nodegroup-runbooks --help'\n`,
    );
    return 2;
  }
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    out.write(commandHelp(command));
    return 0;
  }
  return command.run(args, out, err);
}

if (require.main === module) runAsCommand('nodegroup-runbooks', () => main(process.argv.slice(2)));
