/**
 * `${VAR}` in step text: run parameters (`vars` of --world-parameters) first, then the
 * environment. A missing variable fails before anything is sent, naming the variable and the text.
 */
import { MissingParameterError } from './errors';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type VariableSource = Readonly<Record<string, string | undefined>>;

export function expandVariables(text: string, ...sources: VariableSource[]): string {
  return text.replace(VARIABLE, (_match, name: string) => {
    for (const source of sources) {
      const value = source[name];
      if (value !== undefined && value !== '') return value;
    }
    throw new MissingParameterError(name, text);
  });
}

/** The variables a text refers to, for listing what a runbook needs. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]!);
}
