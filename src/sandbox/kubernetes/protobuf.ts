/**
 * Kubernetes protobuf request bodies, decoded for the few kinds kubectl sends that way: its
 * typed generators (`kubectl create namespace`, `kubectl create configmap`) post
 * `application/vnd.kubernetes.protobuf`, the `k8s\0` envelope around a runtime.Unknown.
 * Field numbers come from k8s.io/api generated.proto. Other kinds get a 415 that says so.
 */
import type { KubeObject } from '../store/object';
import { StatusError } from '../store/status';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

type FieldType = 'string' | 'bytes' | 'int' | 'bool' | 'time' | 'stringMap' | 'bytesMap' | Schema;
/** field number -> [JSON name, type, repeated] */
type Schema = Record<number, [string, FieldType, boolean?]>;

const TIME: Schema = { 1: ['seconds', 'int'], 2: ['nanos', 'int'] };
const OWNER_REFERENCE: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};
const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  8: ['creationTimestamp', 'time'],
  11: ['labels', 'stringMap'],
  12: ['annotations', 'stringMap'],
  13: ['ownerReferences', OWNER_REFERENCE, true],
  14: ['finalizers', 'string', true],
};
const KINDS: Record<string, Schema> = {
  ConfigMap: {
    1: ['metadata', OBJECT_META],
    2: ['data', 'stringMap'],
    3: ['binaryData', 'bytesMap'],
    4: ['immutable', 'bool'],
  },
  Namespace: {
    1: ['metadata', OBJECT_META],
    2: ['spec', { 1: ['finalizers', 'string', true] }],
    3: ['status', { 1: ['phase', 'string'] }],
  },
};
const UNKNOWN: Schema = {
  1: ['typeMeta', { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] }],
  2: ['raw', 'bytes'],
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw malformed('truncated varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  }
  bytes(): Buffer {
    const length = this.varint();
    if (this.pos + length > this.buf.length) throw malformed('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.fixed(8);
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.fixed(4);
    else throw malformed(`unsupported wire type ${wireType}`);
  }
  private fixed(size: number): void {
    if (this.pos + size > this.buf.length) throw malformed('truncated field');
    this.pos += size;
  }
}

const malformed = (why: string) =>
  new StatusError('BadRequest', `the protobuf request body is malformed: ${why}`);

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const reader = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!reader.done) {
    const tag = reader.varint();
    const spec = schema[Math.floor(tag / 8)];
    const wireType = tag & 7;
    if (!spec) {
      reader.skip(wireType);
      continue;
    }
    const [name, type, repeated] = spec;
    const value = decodeValue(reader, type, wireType);
    if (type === 'stringMap' || type === 'bytesMap') {
      const [key, val] = value as [string, unknown];
      out[name] = { ...(out[name] as object), [key]: val };
    } else if (repeated) out[name] = [...((out[name] as unknown[]) ?? []), value];
    else if (value !== '' && value !== 0 && value !== false) out[name] = value; // proto2 writes empty fields
  }
  return out;
}

function decodeValue(reader: Reader, type: FieldType, wireType: number): unknown {
  if (type === 'int') return reader.varint();
  if (type === 'bool') return reader.varint() !== 0;
  if (wireType !== 2) throw malformed(`expected a length-delimited field, got wire type ${wireType}`);
  const bytes = reader.bytes();
  if (type === 'string') return bytes.toString('utf8');
  if (type === 'bytes') return bytes;
  if (type === 'time') {
    const { seconds = 0 } = decodeMessage(bytes, TIME) as { seconds?: number };
    return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  if (type === 'stringMap' || type === 'bytesMap') {
    const entry = decodeMessage(bytes, {
      1: ['key', 'string'],
      2: ['value', type === 'stringMap' ? 'string' : 'bytes'],
    });
    const value = entry.value ?? (type === 'stringMap' ? '' : Buffer.alloc(0));
    return [entry.key ?? '', Buffer.isBuffer(value) ? value.toString('base64') : value];
  }
  return decodeMessage(bytes, type);
}

/** Decode a protobuf object body; 400 when malformed, 415 for a kind without a schema here. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') {
    throw malformed('missing the "k8s\\0" envelope prefix');
  }
  const unknown = decodeMessage(body.subarray(4), UNKNOWN) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Buffer;
  };
  const kind = unknown.typeMeta?.kind ?? '';
  const schema = KINDS[kind];
  if (!schema) {
    throw new StatusError(
      'UnsupportedMediaType',
      `protobuf bodies are decoded only for ${Object.keys(KINDS).join(' and ')}, not "${kind}"; send JSON or YAML (for example kubectl create -f)`,
    );
  }
  const obj = decodeMessage(unknown.raw ?? Buffer.alloc(0), schema);
  return {
    apiVersion: unknown.typeMeta?.apiVersion,
    kind,
    ...obj,
    metadata: (obj.metadata as KubeObject['metadata']) ?? {},
  };
}
