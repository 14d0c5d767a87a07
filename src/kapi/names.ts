/** Client-side name checks, so nothing is sent that the server would have to reject. */
import { type BindingKind, bindingKind, isBindingKind } from '../binding-kinds';
import { UsageError } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What a name must be: nodegroups are DNS-1123 subdomains, clusters labels, targets as their kind says. */
export type NameKind = 'nodegroup' | 'cluster' | BindingKind;

const isSubdomain = (kind: NameKind): boolean =>
  kind === 'nodegroup' || (isBindingKind(kind) && bindingKind(kind).name === 'subdomain');

export function checkName(kind: NameKind, name: string): string {
  const subdomain = isSubdomain(kind);
  const max = subdomain ? 253 : 63;
  const pattern = subdomain ? DNS1123_SUBDOMAIN : DNS1123_LABEL;
  if (name.length === 0) throw new UsageError(`the ${kind} name is empty`);
  if (name.length > max || !pattern.test(name)) {
    const rule = subdomain
      ? `a lowercase RFC 1123 subdomain of at most ${max} characters: lower case letters, digits, '-' and '.', starting and ending with a letter or digit`
      : `a lowercase RFC 1123 label of at most ${max} characters: lower case letters, digits and '-', starting and ending with a letter or digit`;
    throw new UsageError(
      `invalid ${kind} name '${name}': must be ${rule}`,
      `a valid name looks like 'edge-group-1'`,
    );
  }
  return name;
}
