/**
 * What a scenario's words stood for in this run, as Allure parameters: the value of every ${VAR}
 * its steps mention and the per-run unique name of everything it created. Allure folds the
 * parameters that are not `excluded` into the historyId (allure-js: md5 of the sorted
 * `name:value` pairs), so the variables come from the whole scenario text, never from what a
 * failing run got to, and the unique names, new every run, are excluded.
 */
import type { Label, Parameter } from 'allure-js-commons';
import { replaceVariables, variablesIn } from '../runbook/expand';
import { isSecretKey, REDACTED } from '../runbook/redact';

/** Stands for a ${VAR} that neither the run parameters nor the environment set. */
export const NOT_SET = '(not set)';

/** A variable whose name ends in a credential word (KUBESPHERE_PASSWORD, CLIENT_SECRET, X_TOKEN). */
export function isSecretVariable(name: string): boolean {
  const parts = name.split('_');
  return parts.some((_, i) => isSecretKey(parts.slice(i).join('_')));
}

/** The step texts of a scenario with their doc strings and table cells: all it can expand. */
export interface ScenarioText {
  steps: readonly {
    text: string;
    argument?: {
      docString?: { content: string };
      dataTable?: { rows: readonly { cells: readonly { value: string }[] }[] };
    };
  }[];
}

/** Every ${VAR} the scenario mentions, in order of first mention. */
export function variablesOf(scenario: ScenarioText): string[] {
  const found = new Set<string>();
  for (const step of scenario.steps) {
    const texts = [
      step.text,
      step.argument?.docString?.content ?? '',
      ...(step.argument?.dataTable?.rows.flatMap((r) => r.cells.map((c) => c.value)) ?? []),
    ];
    for (const text of texts) for (const name of variablesIn(text)) found.add(name);
  }
  return [...found];
}

/** Looks a variable up the way the steps do (run parameters, then the environment). */
export type VariableLookup = (name: string) => string | undefined;

/** `NODE = worker-3`: part of the historyId (a different node is a different test). */
export function variableParameters(
  names: readonly string[],
  lookup: VariableLookup,
  redact: (text: string) => string,
): Parameter[] {
  return names.map((name) => {
    const value = lookup(name);
    if (value === undefined || value === '') return { name, value: NOT_SET };
    return { name, value: isSecretVariable(name) ? REDACTED : redact(value) };
  });
}

/** `site = site-ab12w1-3`: new every run, so excluded from the historyId. */
export function claimedNameParameters(claimed: readonly (readonly [string, string])[]): Parameter[] {
  return claimed.map(([base, unique]) => ({ name: base, value: unique, excluded: true }));
}

/**
 * The step text as it ran: ${VAR}s replaced by their values (credentials by `<redacted>`) and
 * every quoted name by the unique name claimed for it. A variable without a value stays as written.
 */
export function resolvedStepText(
  text: string,
  lookup: VariableLookup,
  resolve: (name: string) => string,
): string {
  const expand = (s: string) =>
    replaceVariables(s, (name, written) => {
      const value = lookup(name);
      if (value === undefined || value === '') return written;
      return isSecretVariable(name) ? REDACTED : value;
    });
  return expand(text).replace(/"([^"]*)"/g, (_quoted, inner: string) => `"${resolve(inner)}"`);
}

/**
 * The Suites tree as the features/ folder: parentSuite = the folder the feature file is in,
 * suite = the feature. `titlePath` is allure-cucumberjs's: [project name, ...folders of the
 * feature file, feature name]. Labels a result already has (from tags) are kept.
 */
export function suiteLabels(result: { titlePath?: string[]; labels: Label[] }): Label[] {
  const feature = result.labels.find((l) => l.name === 'feature')?.value;
  const path = [...(result.titlePath ?? [])];
  if (feature !== undefined && path.at(-1) === feature) path.pop();
  const folder = path.at(-1);
  const has = (name: string) => result.labels.some((l) => l.name === name);
  const out: Label[] = [];
  if (folder !== undefined && !has('parentSuite')) out.push({ name: 'parentSuite', value: folder });
  if (feature !== undefined && !has('suite')) out.push({ name: 'suite', value: feature });
  return out;
}
