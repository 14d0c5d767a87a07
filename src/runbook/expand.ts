/**
 * `${VAR}` in step text: run parameters (`vars` of --world-parameters) first, then the
 * environment. A missing variable fails before anything is sent, naming the variable and the text.
 */
import { MissingParameterError } from './errors';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

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
