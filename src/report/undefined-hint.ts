/**
 * For a step no definition matches: whether it would match if one of its words were a word the
 * runbooks know (`I bind pod "x" to nodegroup "g"` reads as `I bind {kind} ...`, and pod is no
 * kind), so the reason names the word and the words it could be instead of "undefined" alone.
 * Read from cucumber's own messages: the step definitions' expressions and the parameter types.
 */

export interface ParameterTypeInfo {
  name: string;
  regularExpressions: string[];
}

const BUILT_IN: Record<string, string> = {
  string: '"[^"]*"|\'[^\']*\'',
  int: '-?\\d+',
  float: '-?\\d*\\.?\\d+',
  word: '[^\\s]+',
  '': '.*',
};

const escapeRegex = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** `{name}` parameters of a cucumber expression; undefined for expressions using other syntax. */
function looseMatcher(
  source: string,
  custom: Map<string, string[]>,
): { regex: RegExp; names: string[] } | undefined {
  if (/[()/\\]/.test(source)) return undefined; // optional text, alternatives, escapes: not handled
  const names: string[] = [];
  let pattern = '';
  let rest = source;
  for (let m = /\{([^}]*)\}/.exec(rest); m; m = /\{([^}]*)\}/.exec(rest)) {
    pattern += escapeRegex(rest.slice(0, m.index));
    const name = m[1]!;
    if (custom.has(name)) {
      names.push(name);
      pattern += '(\\S+)';
    } else if (BUILT_IN[name] !== undefined) pattern += `(?:${BUILT_IN[name]})`;
    else return undefined;
    rest = rest.slice(m.index + m[0].length);
  }
  if (!names.length) return undefined;
  return { regex: new RegExp(`^${pattern}${escapeRegex(rest)}$`), names };
}

/** "pod" is not a {kind} word (node|namespace|workspace): the step reads `I bind {kind} ...`. */
export function undefinedStepHint(
  text: string,
  expressions: readonly string[],
  parameterTypes: readonly ParameterTypeInfo[],
): string | undefined {
  const custom = new Map(parameterTypes.map((p) => [p.name, p.regularExpressions]));
  for (const source of expressions) {
    const loose = looseMatcher(source, custom);
    const m = loose?.regex.exec(text);
    if (!loose || !m) continue;
    for (const [i, name] of loose.names.entries()) {
      const word = m[i + 1]!;
      const known = custom.get(name)!;
      if (known.some((r) => new RegExp(`^(?:${r})$`).test(word))) continue;
      return `"${word}" is not a {${name}} word (${known.join('|')}); the step reads: ${source}`;
    }
  }
  return undefined;
}
