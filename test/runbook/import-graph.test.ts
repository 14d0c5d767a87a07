/**
 * The import graph of the library outside the sandbox (whose own rule lives with it): no cycles,
 * and the layers point one way: the runbook library may use the diagnosis, the actions, the
 * clients; none of those uses the runbook library; nothing in src/ uses cucumber.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'sandbox' ? [] : files(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports (static, re-exports and require) of a file, resolved to files of src/. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'([^']+)'/g)].map((m) => m[1]!);
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specs) {
    if (!spec.startsWith('.')) {
      packages.push(spec);
      continue;
    }
    const base = resolve(dirname(file), spec);
    const found = [`${base}.ts`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (found && !found.includes(`${join(SRC, 'sandbox')}`)) local.push(found);
  }
  return { local, packages };
}

const all = files(SRC);
const graph = new Map(all.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(ROOT, f);

describe('the import graph of src/ (sandbox aside)', () => {
  test('has no cycles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(rel).join(' > '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file)?.local ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of all) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  test('the diagnosis, the actions and the clients never import the runbook library; src/ never cucumber', () => {
    const lower = ['actions', 'diagnose', 'kapi', 'kube'].map((d) => join(SRC, d));
    const wrong: string[] = [];
    for (const [file, { local, packages }] of graph) {
      if (packages.some((p) => p.startsWith('@cucumber/'))) wrong.push(`${rel(file)} imports cucumber`);
      if (!lower.some((d) => file.startsWith(d))) continue;
      for (const target of local)
        if (target.startsWith(join(SRC, 'runbook'))) wrong.push(`${rel(file)} imports ${rel(target)}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('file names are unique by role outside the sandbox', () => {
    // One role per folder by design: its types, its errors, its context; src/cli names files by command.
    const perFolder = new Set(['index.ts', 'types.ts', 'errors.ts', 'context.ts']);
    const byName = new Map<string, string[]>();
    for (const file of all) {
      const name = file.split('/').pop()!;
      if (perFolder.has(name) || file.startsWith(join(SRC, 'cli'))) continue;
      byName.set(name, [...(byName.get(name) ?? []), rel(file)]);
    }
    assert.deepEqual(
      [...byName.values()].filter((list) => list.length > 1),
      [],
    );
  });
});
