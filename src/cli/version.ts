/** The installed package's version, read from its package.json (dist/src/cli -> the package root). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
