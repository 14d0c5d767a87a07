/**
 * The writer of the Allure results (src/report/results-writer.ts): writes happen off the main
 * thread, so what matters is what is on disk once `flush()` resolves, and that a failed write is
 * named instead of lost silently.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ResultsWriter } from '../src/report/results-writer';

const scratch = mkdtempSync(join(tmpdir(), 'results-writer-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('ResultsWriter', () => {
  test('every file handed over is on disk with its content once flush resolves', async () => {
    const dir = join(scratch, 'complete', 'allure-results');
    const writer = new ResultsWriter(dir);
    const result = { uuid: 'r1', name: 'Bind a node', status: 'passed' };
    writer.writeResult(result);
    // allure-js-commons keeps using its objects: the file holds them as they were handed over.
    result.status = 'changed afterwards';
    const group = { uuid: 'g1', children: ['r1'], befores: [], afters: [] };
    writer.writeGroup(group);
    writer.writeAttachment('a1-attachment.yaml', Buffer.from('labels: {}\n'));
    writer.writeEnvironmentInfo({ 'target.kind': 'sandbox', missing: undefined });
    writer.writeCategoriesDefinitions([{ name: 'Stuck controllers' }]);
    await writer.flush();

    assert.deepEqual(readdirSync(dir).sort(), [
      'a1-attachment.yaml',
      'categories.json',
      'environment.properties',
      'g1-container.json',
      'r1-result.json',
    ]);
    assert.equal(JSON.parse(readFileSync(join(dir, 'r1-result.json'), 'utf8')).status, 'passed');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'g1-container.json'), 'utf8')).children, ['r1']);
    assert.equal(readFileSync(join(dir, 'a1-attachment.yaml'), 'utf8'), 'labels: {}\n');
    const properties = readFileSync(join(dir, 'environment.properties'), 'utf8');
    assert.equal(properties, 'target.kind=sandbox\n');
  });

  test('a results folder removed during the run is made again for the files still to come', async () => {
    const dir = join(scratch, 'removed', 'allure-results');
    const writer = new ResultsWriter(dir);
    writer.writeAttachment('first-attachment.txt', Buffer.from('first'));
    await writer.flush();
    rmSync(dir, { recursive: true });
    writer.writeAttachment('second-attachment.txt', Buffer.from('second'));
    await writer.flush();
    assert.deepEqual(readdirSync(dir), ['second-attachment.txt']);
  });

  test('flush names a file that could not be written, and the others are still written', async () => {
    const dir = join(scratch, 'failing', 'allure-results');
    const writer = new ResultsWriter(dir);
    writer.writeAttachmentFromPath('copied-attachment.png', join(scratch, 'no such screenshot.png'));
    writer.writeAttachment('after-attachment.txt', Buffer.from('still written'));
    await assert.rejects(writer.flush(), (err: Error) => {
      assert.match(err.message, /1 file\(s\) could not be written to .*allure-results/);
      assert.match(err.message, /copied-attachment\.png: .*no such screenshot\.png/);
      return true;
    });
    assert.equal(readFileSync(join(dir, 'after-attachment.txt'), 'utf8'), 'still written');
  });
});
