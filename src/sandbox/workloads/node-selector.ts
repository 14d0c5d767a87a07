/**
 * Node selectors as label maps, as k8s.io/apimachinery's labels package treats them: the text of
 * a namespace's node-selector annotation (`key=value,key2=value2`, ConvertSelectorToLabelsMap),
 * the conflict rule (one key, two values) and the merge (the second map wins).
 */
import { labelsErrors } from '../store/validation';

export type LabelMap = Record<string, string>;

/** `a=b,c=d` -> {a: 'b', c: 'd'}; blank -> {}; anything else is an Error naming the part. */
export function selectorMap(text: string): LabelMap {
  const out: LabelMap = {};
  if (text.trim() === '') return out;
  for (const part of text.split(',')) {
    const pair = part.trim().split('=');
    if (pair.length !== 2) throw new Error(`invalid selector: ${part.trim() || '(empty term)'}`);
    const key = pair[0]!.trim();
    const value = pair[1]!.trim();
    const errors = labelsErrors({ [key]: value });
    if (errors.length) throw new Error(`invalid selector ${part.trim()}: ${errors[0]!.message}`);
    out[key] = value;
  }
  return out;
}

/** Whether the two maps give one key different values. */
export function conflicts(a: LabelMap, b: LabelMap): boolean {
  return Object.entries(a).some(([key, value]) => key in b && b[key] !== value);
}

/** `a` with `b` laid over it. */
export const mergeLabels = (a: LabelMap, b: LabelMap): LabelMap => ({ ...a, ...b });

/** Whether `labels` has every pair of `selector` (an empty selector matches everything). */
export function matchesSelector(selector: LabelMap | undefined, labels: LabelMap | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}
