/**
 * The `yaml` package, loaded on first use (30-120 ms here): the report and matching modules
 * that print or read YAML are imported by every worker, which need it only after a step ran.
 */
let loaded: typeof import('yaml') | undefined;

export function yaml(): typeof import('yaml') {
  loaded ??= require('yaml') as typeof import('yaml');
  return loaded;
}
