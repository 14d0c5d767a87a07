/**
 * Facts a plan pins down so an apply can check it runs the same thing: the sha256 of each feature
 * file the plan ran, and the (model) constants of src/constants.ts its prediction relied on.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as constants from '../constants';

export const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

export interface FeatureHash {
  uri: string;
  sha256: string;
}

/** Files whose hash differs from the plan's, or that are gone, relative to `cwd`. */
export function changedFeatures(features: readonly FeatureHash[], cwd = process.cwd()): string[] {
  const changed: string[] = [];
  for (const f of features) {
    const path = resolve(cwd, f.uri);
    if (!existsSync(path)) changed.push(`${f.uri} (gone)`);
    else if (sha256(readFileSync(path)) !== f.sha256) changed.push(`${f.uri} (sha256 differs)`);
  }
  return changed;
}

export interface ModelConstant {
  name: string;
  value: unknown;
  /** The comment's first sentence, without the "(model)" mark. */
  about: string;
}

/** Every constant of src/constants.ts marked "(model)" (from its source, or the compiled file beside). */
export function modelConstants(): ModelConstant[] {
  const candidates = [
    join(__dirname, '..', '..', '..', 'src', 'constants.ts'),
    join(__dirname, '..', 'constants.js'),
  ];
  const file = candidates.find((p) => existsSync(p));
  if (!file) return [];
  const text = readFileSync(file, 'utf8');
  const out: ModelConstant[] = [];
  // One doc comment (no `*/` inside it) right before the export it documents.
  const pattern = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export (const|function) (\w+)/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const comment = m[1]!
      .replace(/^\s*\*\s?/gm, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!comment.startsWith('(model)')) continue;
    const name = m[3]!;
    const value = (constants as Record<string, unknown>)[name];
    out.push({
      name,
      value: typeof value === 'function' ? `(function ${name})` : value,
      about: comment.replace(/^\(model\)\s*/, ''),
    });
  }
  return out;
}
