/**
 * The failure diagnostics as attachments: the diagnosis findings (as `nodegroup-api diagnose`
 * prints them), the objects involved, recent events, the nodegroup pods and the config.
 */

import { renderDiagnosis } from '../diagnose';
import { eventLine } from '../diagnose/objects';
import type { KubeObject } from '../diagnose/types';
import { yaml } from '../lazy-yaml';
import type { Attachment } from './attachments';
import type { FailureDiagnostics } from './failure-diagnosis';

const text = (name: string, body: string): Attachment => ({ name, mediaType: 'text/plain', body });

/** An object without the fields nobody reads in a review (managedFields, last-applied). */
function trimmed(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata;
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return { ...obj, metadata: { ...metadata, ...(metadata.annotations ? { annotations } : {}) } };
}

function podTable(pods: KubeObject[]): string {
  const rows = pods.map((p) => {
    const status = (p['status'] ?? {}) as {
      phase?: string;
      conditions?: { type: string; status: string }[];
      containerStatuses?: { restartCount?: number }[];
    };
    const ready = status.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    const restarts = (status.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
    const node = ((p['spec'] ?? {}) as { nodeName?: string }).nodeName ?? '';
    return [p.metadata.name ?? '', status.phase ?? 'Unknown', ready, String(restarts), node];
  });
  const all = [['NAME', 'PHASE', 'READY', 'RESTARTS', 'NODE'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return `${all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function eventTime(e: KubeObject): string {
  const f = e as { lastTimestamp?: string; eventTime?: string; firstTimestamp?: string };
  return String(f.lastTimestamp ?? f.eventTime ?? f.firstTimestamp ?? '');
}

export function diagnosisAttachments(d: FailureDiagnostics): Attachment[] {
  const out: Attachment[] = [];
  const involved = Object.entries(d.involved)
    .filter(([, names]) => names.length)
    .map(([kind, names]) => `${kind}: ${names.join(', ')}`);
  const header = [
    '# automatic diagnosis of the failure',
    `# involved: ${involved.join('; ') || 'no nodegroup object in this scenario'}`,
    ...d.problems.map((p) => `# note: ${p}`),
  ].join('\n');
  const findings = d.diagnoses.map((diag) => renderDiagnosis(diag, 'table')).join('\n');
  out.push(
    text(
      `diagnosis: ${d.involved.nodegroups.slice(0, d.diagnoses.length).join(', ') || 'no nodegroup'}.txt`,
      `${header}\n\n${findings || 'no nodegroup was involved, so only the deployment state below was collected\n'}`,
    ),
  );
  if (d.objects.length)
    out.push(
      text(
        'objects involved.yaml',
        d.objects.map((o) => yaml().stringify(trimmed(o), { lineWidth: 0 })).join('---\n'),
      ),
    );
  out.push(
    text(
      'recent events.txt',
      d.events.length
        ? `${d.events.map((e) => `${eventTime(e)}  ${eventLine(e)}`).join('\n')}\n`
        : 'no events about the objects involved\n',
    ),
  );
  out.push(text('nodegroup pods.txt', d.pods.length ? podTable(d.pods) : 'no nodegroup pods found\n'));
  if (d.config) out.push(text('nodegroup config.yaml', d.config.text ?? `# ${d.config.error}\n`));
  return out;
}
