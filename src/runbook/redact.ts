/**
 * Secrets never reach the evidence: values under secret-named keys, Secret objects' data, bearer
 * tokens and `key: value` / `key=value` pairs in free text, command-line flags that carry
 * credentials, and every literal secret the run has seen (the password it logged in with, the
 * tokens it was issued). Applied where evidence is recorded, so nothing written later can leak.
 */

import { REDACTED } from '../kapi/exchange';

export { REDACTED };

/** Keys whose value is a credential: JSON bodies, kubeconfigs, OAuth answers, headers. */
const SECRET_KEY =
  /^(?:password|passwd|secret|client[-_]?secret|(?:access|refresh|id|bearer|auth)?[-_]?token|client[-_]?key(?:[-_]data)?|authorization|proxy-authorization|cookie|set-cookie|private[-_]?key)$/i;

/** `token: x`, `"password":"x"`, `password=x`, `--token=x` in free text (YAML, JSON, forms, logs). */
const SECRET_PAIR =
  /((?:^|[\s"'{,&?;-])(?:password|passwd|client[-_]?secret|(?:access|refresh|id|bearer|auth)?[-_]?token|client[-_]?key(?:[-_]data)?)["']?\s*[:=]\s*["']?)([^\s"',&;}]+)/gim;
/** A credential after its scheme on the same line (never across a line: `token_type: Bearer` keeps its next line). */
const BEARER = /\b(Bearer|Basic)[ \t]+(?!<redacted>)[A-Za-z0-9._~+/=-]+/g;

/** Flags of kubectl (and similar) whose next value, or `=value`, is a credential. */
const SECRET_FLAGS = new Set(['--token', '--password', '--client-key', '--client-secret']);

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

/** Pattern-based redaction of free text (no knowledge of the run's own secrets). */
export function redactTextPatterns(text: string): string {
  return text.replace(BEARER, `$1 ${REDACTED}`).replace(SECRET_PAIR, `$1${REDACTED}`);
}

/** Command-line arguments with the values of credential flags replaced. */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    if (eq > 0 && SECRET_FLAGS.has(arg.slice(0, eq))) out.push(`${arg.slice(0, eq)}=${REDACTED}`);
    else if (SECRET_FLAGS.has(arg) && i + 1 < args.length) {
      out.push(arg, REDACTED);
      i++;
    } else out.push(redactTextPatterns(arg));
  }
  return out;
}

/** Redacts with the patterns above plus every literal secret registered so far. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a value that must never appear (short values are ignored: too many false hits). */
  addSecret(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= 6) this.secrets.add(value);
  }

  text(text: string): string {
    let out = redactTextPatterns(text);
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A deep copy with secrets removed; objects of kind Secret keep their keys, not their values. */
  value<T>(value: T): T {
    return this.walk(value, false) as T;
  }

  private walk(value: unknown, secretData: boolean): unknown {
    if (typeof value === 'string') return secretData ? REDACTED : this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, secretData));
    if (!value || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const isSecretObject = obj['kind'] === 'Secret';
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(obj)) {
      if (isSecretKey(key) && v !== undefined && v !== null && v !== '') out[key] = REDACTED;
      else
        out[key] = this.walk(v, secretData || (isSecretObject && (key === 'data' || key === 'stringData')));
    }
    return out;
  }
}
