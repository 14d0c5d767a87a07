/** The one atomic file writer: all or nothing, the mode from the start, no temporary file left. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeFileAtomic } from '../src/atomic-file';

const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  test('replaces the file whole, with the mode asked, and leaves nothing beside it', () => {
    const file = join(dir, 'token.json');
    writeFileSync(file, 'old');
    writeFileAtomic(file, '{"token":"new"}', { mode: 0o600 });
    assert.equal(readFileSync(file, 'utf8'), '{"token":"new"}');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['token.json']);
  });

  test('the mode is the one asked whatever the umask, and replaces a looser one', () => {
    const file = join(dir, 'shared.txt');
    writeFileSync(file, 'old', { mode: 0o644 });
    const umask = process.umask(0o077);
    try {
      writeFileAtomic(file, 'group may read', { mode: 0o640 });
    } finally {
      process.umask(umask);
    }
    assert.equal(statSync(file).mode & 0o777, 0o640);
    writeFileAtomic(file, 'secret', { mode: 0o600 });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    rmSync(file);
  });

  test('a failed write keeps the old file and removes its temporary file', () => {
    const target = join(dir, 'a-directory');
    mkdirSync(target);
    assert.throws(() => writeFileAtomic(target, 'x'), /EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    assert.ok(statSync(target).isDirectory());
    assert.deepEqual(readdirSync(dir).sort(), ['a-directory', 'token.json']);
  });
});
