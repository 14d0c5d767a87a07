/** The protobuf request bodies kubectl's typed generators send: decoded, or refused with a message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobufObject } from '../../src/sandbox/kubernetes/protobuf';
import { StatusError } from '../../src/sandbox/store/status';

const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
/** A length-delimited field. */
const field = (num: number, body: Buffer | string): Buffer => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from([...varint(num * 8 + 2), ...varint(bytes.length)]), bytes]);
};
/** The `k8s\0` envelope around a runtime.Unknown of `kind` holding `raw`. */
const envelope = (kind: string, raw: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    field(1, Buffer.concat([field(1, 'v1'), field(2, kind)])),
    field(2, raw),
  ]);

const statusOf = (fn: () => unknown): StatusError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return err;
  }
  assert.fail('expected a StatusError');
};

describe('protobuf request bodies', () => {
  it('decodes a Namespace with labels, skipping fields it does not model', () => {
    const metadata = Buffer.concat([
      field(1, 'demo'),
      field(11, Buffer.concat([field(1, 'team'), field(2, 'a')])),
      Buffer.from([...varint(99 * 8 + 1), 1, 2, 3, 4, 5, 6, 7, 8]), // an unknown fixed64 field
    ]);
    const obj = decodeProtobufObject(envelope('Namespace', field(1, metadata)));
    assert.deepEqual(obj, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'demo', labels: { team: 'a' } },
    });
  });

  it('answers 400 naming the problem for a body that is not the envelope or is cut short', () => {
    assert.match(statusOf(() => decodeProtobufObject(Buffer.from('{}'))).message, /"k8s\\0" envelope/);
    const cut = envelope('Namespace', field(1, field(1, 'demo')));
    const truncated = statusOf(() => decodeProtobufObject(cut.subarray(0, cut.length - 2)));
    assert.equal(truncated.code, 400);
    assert.match(truncated.message, /the protobuf request body is malformed: truncated field/);
    // an unknown fixed64 field with only 3 of its 8 bytes
    const shortFixed = envelope('Namespace', Buffer.from([...varint(99 * 8 + 1), 1, 2, 3]));
    assert.match(statusOf(() => decodeProtobufObject(shortFixed)).message, /truncated field/);
  });

  it('answers 415 for a kind it has no schema for, saying what to send instead', () => {
    const err = statusOf(() => decodeProtobufObject(envelope('Deployment', Buffer.alloc(0))));
    assert.equal(err.code, 415);
    assert.match(err.message, /only for ConfigMap and Namespace, not "Deployment"; send JSON or YAML/);
  });
});
