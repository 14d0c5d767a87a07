/**
 * `nodegroup-api completion bash|zsh`: a shell completion script generated from the commander
 * tree itself (commands, their flags, the values of flags with fixed choices), so it never lists
 * a command that does not exist. Load it with `source <(nodegroup-api completion bash)`.
 */
import type { Command } from 'commander';
import { UsageError } from '../kapi/errors';
import type { CliIO } from './context';
import { examples } from './help';

export const SHELLS = ['bash', 'zsh'] as const;

/** One command of the tree: its path from the root, subcommands, flags and flag values. */
interface Node {
  path: string;
  words: string[];
  /** Flags that take a value with fixed choices: flag -> the choices. */
  choices: Map<string, string[]>;
}

function nodesOf(command: Command, path = '', inherited: string[] = []): Node[] {
  const choices = new Map<string, string[]>();
  const flags: string[] = [];
  for (const option of command.options) {
    for (const flag of [option.short, option.long]) {
      if (!flag) continue;
      flags.push(flag);
      if (option.argChoices) choices.set(flag, option.argChoices);
    }
  }
  // Global flags are accepted after any subcommand too (commander reads them anywhere).
  const available = [...new Set([...flags, ...inherited, '--help'])];
  const subs = command.commands.filter((sub) => sub.name() !== 'help');
  const node: Node = { path, words: [...subs.map((sub) => sub.name()), ...available], choices };
  // --version answers only before any subcommand.
  const passed = available.filter((flag) => flag !== '--version' && flag !== '--help');
  return [node, ...subs.flatMap((sub) => nodesOf(sub, `${path} ${sub.name()}`.trim(), passed))];
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** The function name a shell may hold: nodegroup-api -> _nodegroup_api. */
const fnName = (program: string) => `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;

export function bashCompletion(program: Command): string {
  const name = program.name();
  const nodes = nodesOf(program);
  const allChoices = new Map<string, string[]>();
  for (const node of nodes) for (const [flag, values] of node.choices) allChoices.set(flag, values);
  const paths = nodes.filter((n) => n.path).map((n) => quote(n.path));
  return `# bash completion for ${name} (generated: ${name} completion bash)
${fnName(name)}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" word i
  case "$prev" in
${[...allChoices].map(([flag, values]) => `    ${flag}) COMPREPLY=($(compgen -W ${quote(values.join(' '))} -- "$cur")); return 0 ;;`).join('\n')}
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    case "\${cmdpath:+$cmdpath }$word" in
      ${paths.join('|') || "''"}) cmdpath="\${cmdpath:+$cmdpath }$word" ;;
    esac
  done
  local words=""
  case "$cmdpath" in
${nodes.map((n) => `    ${quote(n.path)}) words=${quote(n.words.join(' '))} ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F ${fnName(name)} ${name}
`;
}

export function zshCompletion(program: Command): string {
  const name = program.name();
  const nodes = nodesOf(program);
  const allChoices = new Map<string, string[]>();
  for (const node of nodes) for (const [flag, values] of node.choices) allChoices.set(flag, values);
  return `#compdef ${name}
# zsh completion for ${name} (generated: ${name} completion zsh)
${fnName(name)}() {
  local cmdpath="" word i
  local -a candidates
  case "\${words[CURRENT-1]}" in
${[...allChoices].map(([flag, values]) => `    ${flag}) candidates=(${values.map(quote).join(' ')}); compadd -a candidates; return ;;`).join('\n')}
  esac
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    [[ "$word" == -* ]] && continue
    case "\${cmdpath:+$cmdpath }$word" in
      ${nodes
        .filter((n) => n.path)
        .map((n) => quote(n.path))
        .join('|')}) cmdpath="\${cmdpath:+$cmdpath }$word" ;;
    esac
  done
  case "$cmdpath" in
${nodes.map((n) => `    ${quote(n.path)}) candidates=(${n.words.map(quote).join(' ')}) ;;`).join('\n')}
  esac
  compadd -a candidates
}
compdef ${fnName(name)} ${name}
`;
}

export function addCompletionCommand(program: Command, io: CliIO): void {
  program
    .command('completion <shell>')
    .description(`print a shell completion script (${SHELLS.join(' or ')})`)
    .addHelpText(
      'after',
      examples([
        'source <(nodegroup-api completion bash)',
        'nodegroup-api completion zsh > "${fpath[1]}/_nodegroup-api"',
      ]),
    )
    .action((shell: string) => {
      if (shell === 'bash') io.stdout.write(bashCompletion(program));
      else if (shell === 'zsh') io.stdout.write(zshCompletion(program));
      else
        throw new UsageError(
          `no completion for shell '${shell}'`,
          `usage: nodegroup-api completion ${SHELLS.join('|')}`,
        );
    });
}
