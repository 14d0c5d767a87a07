/**
 * Checks on an object's labels and annotations, in the words of the guide's runbooks ("node
 * worker-3 has label apps.edgewize.io/nodegroup=edge-a"): waited on through the Verifier, so a
 * controller that is still applying a change gets until the deadline, never a fixed sleep.
 */
import type { KubeObject } from '../../kube/reader';
import type { ResourceName } from '../../kube/resources';
import { ConfigError } from '../errors';
import type { Verifier } from '../flow/verifier';

export type MetadataField = 'label' | 'annotation';

/** What a step expects: `key=value` present, or `key` absent. */
export interface MetadataExpectation {
  field: MetadataField;
  key: string;
  /** undefined: the key must be absent. */
  value: string | undefined;
}

/** `KEY=VALUE` from a step; the step names which form it wants, so a wrong one says how to fix it. */
export function parseKeyValue(field: MetadataField, text: string): { key: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new ConfigError(
      `the ${field} in the step must read KEY=VALUE (e.g. apps.edgewize.io/nodegroup=edge-a), got "${text}"`,
    );
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

/** A key alone, for "has no label KEY": a `KEY=VALUE` there is a mistake worth naming. */
export function parseKey(field: MetadataField, text: string): string {
  if (text === '' || text.includes('='))
    throw new ConfigError(
      `"has no ${field}" takes the ${field}'s key alone (e.g. apps.edgewize.io/nodegroup), got "${text}"`,
    );
  return text;
}

export function metadataHolds(obj: KubeObject | undefined, want: MetadataExpectation): boolean {
  if (!obj) return false;
  const map = want.field === 'label' ? obj.metadata.labels : obj.metadata.annotations;
  const actual = map?.[want.key];
  return want.value === undefined ? actual === undefined : actual === want.value;
}

const describeExpectation = (resource: ResourceName, name: string, want: MetadataExpectation) =>
  want.value === undefined
    ? `${resource} ${name} without ${want.field} ${want.key}`
    : `${resource} ${name} with ${want.field} ${want.key}=${want.value}`;

/** Wait until the object carries (or lacks) the label or annotation; returns what was seen. */
export function verifyMetadata(
  verifier: Pick<Verifier, 'until'>,
  target: { resource: ResourceName; name: string; namespace?: string },
  want: MetadataExpectation,
): Promise<KubeObject | undefined> {
  return verifier.until(
    {
      ...target,
      description: describeExpectation(target.resource, target.name, want),
      field: ['metadata', want.field === 'label' ? 'labels' : 'annotations', want.key],
    },
    (obj) => metadataHolds(obj, want),
  );
}
