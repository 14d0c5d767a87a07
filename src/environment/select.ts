/**
 * Which environment a command runs against: `--env NAME` (or `--env=NAME`), else RUNBOOK_ENV, else
 * the built-in `sandbox`. NAME is a file of the environments folder (`environments/<NAME>.yaml`,
 * RUNBOOK_ENVIRONMENTS_DIR to move it) or a path to one. `--context` and `--allow-destructive` are
 * taken here too, so every script reads them the same way. Nothing is sent anywhere while choosing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { EnvironmentError } from './errors';
import { type Environment, readEnvironment } from './file';
import { SANDBOX_ENVIRONMENT, sandboxEnvironment } from './sandbox';

export const ENV_NAME_ENV = 'RUNBOOK_ENV';
export const ENVIRONMENTS_DIR_ENV = 'RUNBOOK_ENVIRONMENTS_DIR';
export const DEFAULT_ENVIRONMENTS_DIR = 'environments';
export const ENV_FLAG = '--env';
export const ALLOW_DESTRUCTIVE_FLAG = '--allow-destructive';
export const CONTEXT_FLAG = '--context';
/** The kubeconfig context that wins over the environment file's (what --context sets for workers). */
export const CONTEXT_ENV = 'KUBECONFIG_CONTEXT';
/** The opt-in for destructive steps on a protected environment (also world parameter allowDestructive). */
export const ALLOW_DESTRUCTIVE_ENV = 'RUNBOOK_ALLOW_DESTRUCTIVE';

type Env = Readonly<Record<string, string | undefined>>;

export interface Selection {
  environment: Environment;
  /** Named by --env or RUNBOOK_ENV (false: the default sandbox). */
  explicit: boolean;
  /** The arguments without --env and --allow-destructive, for the command's own parser. */
  rest: string[];
  /** --context NAME: the kubeconfig context, over the environment file's. */
  context?: string;
  /** --allow-destructive was given (or RUNBOOK_ALLOW_DESTRUCTIVE=1). */
  allowDestructive: boolean;
  /** Things to tell the user that change nothing (e.g. --allow-destructive on the sandbox). */
  notices: string[];
}

export const environmentsDir = (env: Env): string =>
  resolve(env[ENVIRONMENTS_DIR_ENV] || DEFAULT_ENVIRONMENTS_DIR);

/** `sandbox` and the names of the environment files, sorted. */
export function knownEnvironments(dir: string): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    // no folder: only the sandbox is known
  }
  const names = files.map((f) => f.replace(/\.ya?ml$/, '')).filter((n) => n !== SANDBOX_ENVIRONMENT);
  return [SANDBOX_ENVIRONMENT, ...names.sort()];
}

const isPath = (name: string) => name.includes('/') || /\.ya?ml$/.test(name);

/** The environment of this name (or path); unknown names are refused with the known ones. */
export function loadEnvironment(name: string, env: Env): Environment {
  if (name === SANDBOX_ENVIRONMENT) return sandboxEnvironment();
  if (isPath(name)) {
    const file = resolve(name);
    if (!existsSync(file)) throw new EnvironmentError('ENV_UNKNOWN', `no environment file ${file}`);
    return readEnvironment(basename(file, extname(file)), file);
  }
  const dir = environmentsDir(env);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new EnvironmentError(
      'ENV_UNKNOWN',
      `"${name}" is not an environment name (letters, digits, . _ -)`,
    );
  for (const ext of ['.yaml', '.yml']) {
    const file = resolve(dir, `${name}${ext}`);
    if (existsSync(file)) return readEnvironment(name, file);
  }
  throw new EnvironmentError(
    'ENV_UNKNOWN',
    `no environment "${name}": known environments: ${knownEnvironments(dir).join(', ')} ` +
      `(files ${dir}/<name>.yaml; see environments/example.yaml)`,
  );
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes)$/i.test(value);

/** Take --env and --allow-destructive out of `argv` and load the environment they choose. */
export function selectEnvironment(
  argv: readonly string[],
  env: Env,
  /** Which flags besides --env this command leaves to selectEnvironment (a CLI may own --context). */
  take: { context?: boolean; allowDestructive?: boolean } = { context: true, allowDestructive: true },
): Selection {
  let name: string | undefined;
  let allowFlag = false;
  let context: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === ENV_FLAG) {
      name = argv[++i];
      if (name === undefined || name.startsWith('-'))
        throw new EnvironmentError(
          'ENV_UNKNOWN',
          `${ENV_FLAG} needs an environment name, e.g. ${ENV_FLAG} staging`,
        );
    } else if (arg.startsWith(`${ENV_FLAG}=`)) name = arg.slice(ENV_FLAG.length + 1);
    else if (take.context && (arg === CONTEXT_FLAG || arg.startsWith(`${CONTEXT_FLAG}=`))) {
      context = arg === CONTEXT_FLAG ? argv[++i] : arg.slice(CONTEXT_FLAG.length + 1);
      if (!context || context.startsWith('-'))
        throw new EnvironmentError('ENV_CONTEXT_MISSING', `${CONTEXT_FLAG} needs a kubeconfig context name`);
    } else if (take.allowDestructive && arg === ALLOW_DESTRUCTIVE_FLAG) allowFlag = true;
    else rest.push(arg);
  }
  const chosen = name ?? (env[ENV_NAME_ENV] || undefined);
  const environment = loadEnvironment(chosen ?? SANDBOX_ENVIRONMENT, env);
  const allowDestructive = allowFlag || truthy(env[ALLOW_DESTRUCTIVE_ENV]);
  const notices: string[] = [];
  if (allowFlag && environment.kind === 'sandbox')
    notices.push(
      `${ALLOW_DESTRUCTIVE_FLAG} changes nothing on the sandbox: every operation is allowed there already`,
    );
  return {
    environment,
    explicit: chosen !== undefined,
    rest,
    allowDestructive,
    notices,
    ...(context ? { context } : {}),
  };
}

/**
 * selectEnvironment, then hand the choice on to child processes (cucumber workers read it back
 * with `currentEnvironment`): RUNBOOK_ENV set to the environment's file or name, and
 * RUNBOOK_ALLOW_DESTRUCTIVE=1 when the flag was given. The one line a script calls.
 */
export function useEnvironment(argv: readonly string[], env: Record<string, string | undefined>): Selection {
  const selection = selectEnvironment(argv, env);
  if (selection.explicit) env[ENV_NAME_ENV] = selection.environment.file ?? selection.environment.name;
  if (selection.allowDestructive) env[ALLOW_DESTRUCTIVE_ENV] = '1';
  if (selection.context) env[CONTEXT_ENV] = selection.context;
  return selection;
}

/** The environment chosen for this process (RUNBOOK_ENV or the sandbox). */
export const currentEnvironment = (env: Env): Selection => selectEnvironment([], env);
