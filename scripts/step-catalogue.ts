/**
 * The step catalogue: every step pattern the runbooks can use, grouped by domain (the step file
 * that defines it), each with a one-line example. The patterns come from the step definitions
 * themselves (cucumber's loadSupport with the profile's support code), the example from the first
 * runbook line the pattern matches, or, for a step no runbook uses yet, from the pattern with
 * sample values (checked to match). `nodegroup-runbooks steps` prints it; docs/steps.md is it
 * as Markdown (`nodegroup-runbooks steps --markdown`), and a test fails when that file is stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export interface CatalogueStep {
  pattern: string;
  example: string;
  /** Where the example came from: a runbook `file:line`, or `generated`. */
  from: string;
  /** The defining TypeScript file, relative to the package root. */
  definedIn: string;
}

export interface CatalogueDomain {
  domain: string;
  steps: CatalogueStep[];
}

interface Definition {
  pattern: string | RegExp;
  uri: string;
  line: number;
  expression: { match(text: string): unknown[] | null };
}

const SAMPLES: Record<string, string> = {
  '{string}': '"edge-a"',
  '{int}': '404',
  '{word}': 'edge-a',
  '{float}': '1.5',
  '{kind}': 'node',
  '{kinds}': 'nodes',
  '{section}': 'scheduling',
};

/** A runbook line for a pattern nobody uses yet: its parameters given sample values. */
function sampleOf(pattern: string | RegExp): string {
  if (typeof pattern === 'string') return pattern.replace(/\{[a-z]*\}/gi, (p) => SAMPLES[p] ?? 'x');
  return pattern.source
    .replace(/^\^|\$$/g, '')
    .replace(/"\([^)]*\)"/g, '"edge-a"')
    .replace(/\(\?:([^)]*)\)\?/g, '')
    .replace(/\\(.)/g, '$1');
}

/** Every step line of the runbooks under `dir`, with where it is. */
export function runbookSteps(dir: string, root: string): { text: string; at: string }[] {
  const lines: { text: string; at: string }[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.feature')) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const step = /^\s*(?:Given|When|Then|And|But|\*)\s+(.+?)\s*$/.exec(line);
            if (step) lines.push({ text: step[1]!, at: `${relative(root, path)}:${i + 1}` });
          });
      }
    }
  };
  walk(dir);
  return lines;
}

export function buildCatalogue(
  definitions: Definition[],
  runbooks: { text: string; at: string }[],
  root: string,
): CatalogueDomain[] {
  const domains = new Map<string, CatalogueStep[]>();
  for (const def of definitions) {
    // The TypeScript source, whether the definitions were loaded compiled (dist/) or not.
    const file = (def.uri.startsWith('/') ? relative(root, def.uri) : def.uri)
      .replace(/^dist\//, '')
      .replace(/\.js$/, '.ts');
    const domain = basename(file).replace(/\.(ts|js)$/, '');
    const pattern = typeof def.pattern === 'string' ? def.pattern : def.pattern.source;
    // A runbook line with no outline placeholder reads best; any matching line will do.
    const used =
      runbooks.find((r) => !r.text.includes('<') && def.expression.match(r.text)) ??
      runbooks.find((r) => def.expression.match(r.text));
    const sample = sampleOf(def.pattern);
    const step: CatalogueStep = used
      ? { pattern, example: used.text, from: used.at, definedIn: file }
      : {
          pattern,
          example: def.expression.match(sample) ? sample : pattern,
          from: 'generated',
          definedIn: file,
        };
    domains.set(domain, [...(domains.get(domain) ?? []), step]);
  }
  return [...domains].sort(([a], [b]) => a.localeCompare(b)).map(([domain, steps]) => ({ domain, steps }));
}

/** The step definitions of a profile, loaded as a run would load them (nothing is run). */
export async function loadDefinitions(root: string, profiles: string[] = []): Promise<Definition[]> {
  const { loadConfiguration, loadSupport } =
    require('@cucumber/cucumber/api') as typeof import('@cucumber/cucumber/api');
  const { runConfiguration } = await loadConfiguration({ file: 'cucumber.js', profiles }, { cwd: root });
  const library = (await loadSupport(runConfiguration, { cwd: root })) as unknown as {
    stepDefinitions: Definition[];
  };
  return library.stepDefinitions;
}

export async function catalogue(root: string): Promise<CatalogueDomain[]> {
  const definitions = await loadDefinitions(root);
  return buildCatalogue(definitions, runbookSteps(join(root, 'features'), root), root);
}

export function renderText(domains: CatalogueDomain[]): string {
  const out: string[] = [];
  for (const { domain, steps } of domains) {
    out.push(`${domain}:`);
    for (const step of steps) out.push(`  ${step.pattern}`, `      e.g. ${step.example}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderMarkdown(domains: CatalogueDomain[]): string {
  const count = domains.reduce((n, d) => n + d.steps.length, 0);
  const out = [
    '# Step catalogue',
    '',
    '<!-- Generated by `nodegroup-runbooks steps --markdown > docs/steps.md` from the step definitions',
    '     in steps/; test/tooling/steps-catalogue.test.ts fails when this file is stale. Do not edit. -->',
    '',
    `${count} steps in ${domains.length} domains. Each pattern is a cucumber expression (\`{string}\` is a`,
    'quoted value, `{int}` a number, `{kind}` one of node, namespace, workspace) or, between slashes,',
    'a regular expression. The example is the first runbook line using the step, or a generated one.',
    '',
  ];
  for (const { domain, steps } of domains) {
    out.push(`## ${domain}`, '', '| step | example | defined in |', '|---|---|---|');
    for (const step of steps) {
      const pattern = step.pattern.startsWith('^') ? `/${step.pattern}/` : step.pattern;
      out.push(`| \`${cell(pattern)}\` | \`${cell(step.example)}\` | ${step.definedIn} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
