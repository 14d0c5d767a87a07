/** Name and label validation with Kubernetes' rules and messages (apimachinery's validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    errors.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errors;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errors;
}

export function labelKeyErrors(key: string): string[] {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const errors: string[] = [];
  if (slash >= 0) {
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix part ${e}`));
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    errors.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') and be no more than 63 characters",
    );
  }
  return errors;
}

export function labelValueErrors(value: string): string[] {
  if (value.length <= 63 && LABEL_VALUE.test(value)) return [];
  return [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') and be no more than 63 characters",
  ];
}

export function labelsErrors(labels: unknown): { field: string; message: string }[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    return [{ field: 'metadata.labels', message: 'must be a map of string keys to string values' }];
  }
  const out: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const e of labelKeyErrors(key))
      out.push({ field: 'metadata.labels', message: `Invalid value: "${key}": ${e}` });
    if (typeof value !== 'string') {
      out.push({ field: `metadata.labels[${key}]`, message: 'must be a string' });
      continue;
    }
    for (const e of labelValueErrors(value)) {
      out.push({ field: 'metadata.labels', message: `Invalid value: "${value}": ${e}` });
    }
  }
  return out;
}

export function annotationsErrors(annotations: unknown): { field: string; message: string }[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) {
    return [{ field: 'metadata.annotations', message: 'must be a map of string keys to string values' }];
  }
  const out: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    for (const e of labelKeyErrors(key)) {
      out.push({ field: 'metadata.annotations', message: `Invalid value: "${key}": ${e}` });
    }
    if (typeof value !== 'string')
      out.push({ field: `metadata.annotations[${key}]`, message: 'must be a string' });
  }
  return out;
}
