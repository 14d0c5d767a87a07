/** A binding kind no cluster has, `rack`, defined from the table alone for one test file. */
import { after, before } from 'node:test';
import { defineBindingKind, forgetBindingKind } from '../src/binding-kinds';

/** Define `rack` (KAPI segment `racks`, label example.io/nodegroup) before the file's tests; forget it after. */
export function withRackKind(): void {
  before(() => {
    defineBindingKind({
      kind: 'rack',
      targetKind: 'Rack',
      group: 'example.io',
      version: 'v1',
      resource: 'racks',
      kapiSegment: 'racks',
      mark: { on: 'label', key: 'example.io/nodegroup' },
    });
  });
  after(() => forgetBindingKind('rack'));
}
