/**
 * The evidence of one step as report attachments, independent of the report tool: a before/after
 * YAML diff per affected object, the HTTP exchanges (method, path, status, bodies), each kubectl
 * command with its output, the waits and the ledger. The evidence is already redacted
 * (src/runbook/redact.ts), so rendering only formats it.
 */
import { yaml as yamlLib } from '../lazy-yaml';
import type { HttpOperation, KubectlOperation, Operation } from '../runbook/evidence';
import { objectDiff, reviewView, toYaml } from './yaml-diff';

export interface Attachment {
  /** Shown as the attachment's title; its extension gives the file type. */
  name: string;
  mediaType: string;
  body: string;
}

/** Longest body text kept per exchange: list answers can be large, the review needs the start. */
const MAX_BODY_CHARS = 16_000;

const yaml = (value: unknown) => yamlLib().stringify(value, { lineWidth: 0 });
const ms = (n: number) => `${Math.round(n)} ms`;
const text = (name: string, body: string): Attachment => ({ name, mediaType: 'text/plain', body });

function clip(body: string): string {
  return body.length <= MAX_BODY_CHARS
    ? body
    : `${body.slice(0, MAX_BODY_CHARS)}\n... (${body.length - MAX_BODY_CHARS} more characters not shown)\n`;
}

/** Before and after of every object the step touched, in the order first seen. */
function objectChanges(ops: readonly Operation[]): Attachment[] {
  const objects = new Map<
    string,
    { resource: string; name: string; before?: unknown; after?: unknown; seen: Set<string> }
  >();
  for (const op of ops) {
    if (op.kind !== 'snapshot') continue;
    const key = `${op.resource}/${op.name}`;
    const entry = objects.get(key) ?? { resource: op.resource, name: op.name, seen: new Set<string>() };
    // The first "before" is the state the step started from; the last "after" the one it left.
    if (op.label === 'before' && !entry.seen.has('before')) entry.before = op.object;
    if (op.label === 'after') entry.after = op.object;
    entry.seen.add(op.label);
    objects.set(key, entry);
  }
  const out: Attachment[] = [];
  for (const o of objects.values()) {
    if (o.seen.has('before') && o.seen.has('after'))
      out.push(
        text(
          `before -> after: ${o.resource} ${o.name}.diff`,
          objectDiff(o.resource, o.name, o.before, o.after),
        ),
      );
    else {
      const label = o.seen.has('before') ? 'before' : 'state';
      const object = o.seen.has('before') ? o.before : o.after;
      out.push(
        text(
          `${label}: ${o.resource} ${o.name}.yaml`,
          `# ${o.resource} ${o.name}\n${toYaml(reviewView(o.resource, object))}`,
        ),
      );
    }
  }
  return out;
}

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
};

/** One document for all of a step's HTTP exchanges, in order. */
function httpExchanges(ops: readonly Operation[]): Attachment[] {
  const calls = ops.filter((op): op is HttpOperation => op.kind === 'http');
  if (!calls.length) return [];
  const host = (() => {
    try {
      return new URL(calls[0]!.request.url).origin;
    } catch {
      return '';
    }
  })();
  const docs = calls.map((c) => {
    const outcome = c.response ? String(c.response.status) : `error: ${c.error}`;
    return clip(
      yaml({
        call: `${c.request.method} ${pathOf(c.request.url)} -> ${outcome}`,
        duration: ms(c.durationMs),
        request: {
          method: c.request.method,
          path: pathOf(c.request.url),
          headers: c.request.headers,
          ...(c.request.body !== undefined ? { body: c.request.body } : {}),
        },
        ...(c.response
          ? {
              response: {
                status: c.response.status,
                ...(c.response.body !== undefined ? { body: c.response.body } : {}),
              },
            }
          : { error: c.error }),
      }),
    );
  });
  const summary = calls
    .map((c) => `#   ${c.request.method} ${pathOf(c.request.url)} -> ${c.response?.status ?? 'error'}`)
    .join('\n');
  return [
    text(
      `HTTP: ${calls.length} exchange${calls.length > 1 ? 's' : ''}.yaml`,
      `# ${host}\n${summary}\n---\n${docs.join('---\n')}`,
    ),
  ];
}

function kubectlCommands(ops: readonly Operation[]): Attachment[] {
  return ops
    .filter((op): op is KubectlOperation => op.kind === 'kubectl')
    .map((k) =>
      text(
        `${k.command.length > 80 ? `${k.command.slice(0, 77)}...` : k.command}.txt`,
        `$ ${k.command}\n# exit code ${k.exitCode}, ${ms(k.durationMs)}\n` +
          `${k.stdout}${k.stdout && !k.stdout.endsWith('\n') ? '\n' : ''}` +
          (k.stderr ? `# stderr\n${k.stderr}${k.stderr.endsWith('\n') ? '' : '\n'}` : ''),
      ),
    );
}

/**
 * Waits, ledger entries and notes: what the step waited for, what it recorded for undo. Only for
 * steps that changed something or whose wait expired: a verification whose wait held says no more
 * than its own step text, and every attachment is a file to write (bench/report.bench.ts).
 * `heading` (the step text as it ran, names and values filled in) opens the note.
 */
function flowRecord(ops: readonly Operation[], heading?: string): Attachment[] {
  const noteworthy = ops.some(
    (op) => op.kind === 'ledger' || op.kind === 'note' || (op.kind === 'wait' && !op.ok),
  );
  if (!noteworthy) return [];
  const lines: string[] = heading ? [`# ${heading}`] : [];
  for (const op of ops) {
    if (op.kind === 'wait') {
      const how = op.ok ? 'held' : op.settled ? 'SETTLED, cannot hold' : 'EXPIRED';
      lines.push(`${how}  ${op.description} (${ms(op.durationMs)})`);
      if (!op.ok && op.lastSeenField) lines.push(`    last seen: ${op.lastSeenField}`);
      if (!op.ok && op.lastSeen !== undefined)
        lines.push(
          ...toYaml(reviewView(op.resource ?? '', op.lastSeen))
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `    ${l}`),
        );
    } else if (op.kind === 'ledger') {
      lines.push(
        `ledger ${op.action}${op.error ? ` FAILED: ${op.error}` : ''}: ${JSON.stringify((op.entry as { change?: unknown }).change ?? op.entry)}`,
      );
    } else if (op.kind === 'note') lines.push(`note  ${op.text}`);
  }
  return [text('waits and ledger.txt', `${lines.join('\n')}\n`)];
}

/** Every attachment of one step (or of the cleanup), in review order; `heading` opens the note. */
export function evidenceAttachments(ops: readonly Operation[], heading?: string): Attachment[] {
  return [...objectChanges(ops), ...httpExchanges(ops), ...kubectlCommands(ops), ...flowRecord(ops, heading)];
}
