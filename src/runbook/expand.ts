/**
 * `${VAR}` in step text, from the run's variables (the environment file's `vars`,
 * RUNBOOK_VAR_<NAME>, --world-parameters `vars`; see RunConfig.vars). Bare environment variables
 * (NODE, NAMESPACE ...) are never a source: npm, shells and CI set some of them. A missing variable
 * fails before anything is sent, naming the variable, the text and the three ways to set it.
 */
import { MissingParameterError } from './errors';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Prefix of the environment variables that set runbook variables: RUNBOOK_VAR_NODE=worker-3. */
export const RUNBOOK_VAR_PREFIX = 'RUNBOOK_VAR_';

/** The runbook variables set as RUNBOOK_VAR_<NAME> (empty values ignored). */
export function runbookVars(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (key.startsWith(RUNBOOK_VAR_PREFIX) && key.length > RUNBOOK_VAR_PREFIX.length && value)
      out[key.slice(RUNBOOK_VAR_PREFIX.length)] = value;
  return out;
}

export type VariableSource = Readonly<Record<string, string | undefined>>;

export function expandVariables(text: string, ...sources: VariableSource[]): string {
  return replaceVariables(text, (name) => {
    for (const source of sources) {
      const value = source[name];
      if (value !== undefined && value !== '') return value;
    }
    throw new MissingParameterError(name, text);
  });
}

/** `text` with each `${VAR}` replaced by `replace(name, written)` (`written` is the `${VAR}` itself). */
export function replaceVariables(text: string, replace: (name: string, written: string) => string): string {
  return text.replace(VARIABLE, (written, name: string) => replace(name, written));
}

/** The names of the variables a text mentions, in order. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]!);
}
