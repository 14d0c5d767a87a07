/**
 * deploy/: every manifest validated against the official Kubernetes OpenAPI schemas (the npm
 * package kubernetes-models, generated from them), and what they must say: read-only RBAC with no
 * Secrets and no wildcard, a CronJob of `-p readonly`, a Job of one operation runbook, results
 * kept in the reports volume, the image the Dockerfile builds.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';

const root = join(__dirname, '..', '..', '..');
const deploy = join(root, 'deploy');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
// biome-ignore lint/suspicious/noExplicitAny: manifests are read field by field
type Any = any;

/** The kubernetes-models class of a kind: `kubernetes-models/<group>/<version>` (core: `v1`), by kind. */
async function modelOf(
  apiVersion: string,
  kind: string,
): Promise<new (data: unknown) => { validate(): void }> {
  // An ES module with one entry per group/version: import(), not require().
  const module = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
  const model = module[kind] ?? module['default'];
  assert.equal(typeof model, 'function', `kubernetes-models has no ${apiVersion} ${kind}`);
  return model as new (
    data: unknown,
  ) => { validate(): void };
}

function manifests(): { file: string; doc: Manifest }[] {
  return readdirSync(deploy)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(deploy, file), 'utf8')).map((d) => {
        assert.deepEqual(d.errors, [], file);
        return { file, doc: d.toJS() as Manifest };
      }),
    );
}

const byKind = (kind: string) => manifests().filter((m) => m.doc.kind === kind);

describe('deploy/ manifests', () => {
  it('every manifest is valid against the official Kubernetes schemas', async () => {
    const all = manifests();
    assert.ok(all.length >= 9, `${all.length} manifests`);
    for (const { file, doc } of all) {
      const Model = await modelOf(doc.apiVersion, doc.kind);
      assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata?.name}`);
    }
  });

  it('the validation refuses what a cluster would (a wrong type, a missing field)', async () => {
    const [cron] = byKind('CronJob');
    const Model = await modelOf('batch/v1', 'CronJob');
    const bad = structuredClone(cron!.doc) as Any;
    bad.spec.jobTemplate.spec.backoffLimit = 'none';
    assert.throws(() => new Model(bad).validate(), /backoffLimit/);
    const noSchedule = structuredClone(cron!.doc) as Any;
    delete noSchedule.spec.schedule;
    assert.throws(() => new Model(noSchedule).validate(), /schedule/);
  });

  it('RBAC only reads: get/list/watch, no wildcard, no Secrets', () => {
    const roles = [...byKind('ClusterRole'), ...byKind('Role')];
    assert.ok(roles.length >= 2);
    for (const { doc } of roles) {
      for (const rule of (doc as Any).rules) {
        for (const verb of rule.verbs)
          assert.ok(['get', 'list', 'watch'].includes(verb), `${doc.kind}: ${verb}`);
        for (const field of ['apiGroups', 'resources', 'verbs'])
          assert.ok(!(rule[field] ?? []).includes('*'), `${doc.kind}: wildcard in ${field}`);
        assert.ok(!rule.resources.includes('secrets'), `${doc.kind} reads Secrets`);
      }
    }
    const bound = [...byKind('ClusterRoleBinding'), ...byKind('RoleBinding')].flatMap((b) =>
      (b.doc as Any).subjects.map((s: Any) => `${s.kind}/${s.namespace}/${s.name}`),
    );
    const [account] = byKind('ServiceAccount');
    for (const subject of bound)
      assert.equal(
        subject,
        `ServiceAccount/${(account!.doc as Any).metadata.namespace}/${account!.doc.metadata.name}`,
      );
  });

  it('a CronJob of the readonly runbooks and a Job of one operation runbook, results in the volume', () => {
    const pod = (m: { doc: Manifest }) =>
      m.doc.kind === 'CronJob'
        ? (m.doc as Any).spec.jobTemplate.spec.template.spec
        : (m.doc as Any).spec.template.spec;
    const [cron] = byKind('CronJob');
    const [job] = byKind('Job');
    const [claim] = byKind('PersistentVolumeClaim');
    const cronArgs: string[] = pod(cron!).containers[0].args;
    assert.deepEqual(cronArgs.slice(cronArgs.indexOf('-p'), cronArgs.indexOf('-p') + 2), ['-p', 'readonly']);
    const jobArgs: string[] = pod(job!).containers[0].args;
    const runbook = jobArgs.find((a) => a.endsWith('.feature'));
    assert.ok(runbook && existsSync(join(root, runbook)), `the Job's runbook ${runbook} exists`);
    for (const m of [cron!, job!]) {
      const spec = pod(m);
      assert.equal(spec.serviceAccountName, byKind('ServiceAccount')[0]!.doc.metadata.name);
      const volume = spec.volumes.find(
        (v: Any) => v.persistentVolumeClaim?.claimName === claim!.doc.metadata.name,
      );
      assert.ok(volume, `${m.doc.kind} mounts the reports claim`);
      const container = spec.containers[0];
      const mount = container.volumeMounts.find((vm: Any) => vm.name === volume.name);
      const reports = container.env.find((e: Any) => e.name === 'RUNBOOK_REPORTS_DIR').value as string;
      assert.ok(
        reports.startsWith(`${mount.mountPath}/`),
        `${m.doc.kind}: results ${reports} in ${mount.mountPath}`,
      );
    }
  });

  it('kustomization lists every manifest but the Job; the image is the one the Dockerfile builds', () => {
    const kustomization = readFileSync(join(deploy, 'kustomization.yaml'), 'utf8');
    const files = new Set(manifests().map((m) => m.file));
    for (const file of files)
      if (file !== 'job-operation.yaml') assert.match(kustomization, new RegExp(`- ${file}`), file);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM node:20-bookworm-slim$/m);
    assert.match(dockerfile, /kubectl/);
    assert.match(dockerfile, /openjdk-17-jre-headless/);
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    for (const m of [...byKind('CronJob'), ...byKind('Job')])
      assert.match(
        JSON.stringify(m.doc),
        new RegExp(`"image":"nodegroup-runbooks:${version.replaceAll('.', '\\.')}"`),
      );
  });
});
