/**
 * "Did you mean": the step patterns closest to a step text that no definition matches. Text and
 * patterns are compared by their words, with every quoted value, number and parameter reduced to
 * one placeholder, so `I bind node "x" to nodegroup "y"` is near `I bind node {string} to ...`
 * whatever the values are. Distance: Levenshtein (fastest-levenshtein) on those shapes.
 */
import { distance } from 'fastest-levenshtein';

const VALUE = '\u00b7';

/** The shape of a step as written in a runbook. */
export function textShape(text: string): string {
  return text
    .replace(/"[^"]*"/g, VALUE)
    .replace(/\b\d+\b/g, VALUE)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The shape of a step definition's pattern (a cucumber expression or a regular expression source). */
export function patternShape(pattern: string): string {
  return pattern
    .replace(/^\^|\$$/g, '')
    .replace(/"\([^)]*\)"/g, VALUE) // "([^"]+)" in a regular expression
    .replace(/\(\?:[^)]*\)\?/g, '') // an optional group
    .replace(/"?\{[a-z]+\}"?/gi, VALUE)
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface Suggestion {
  pattern: string;
  distance: number;
}

/**
 * The closest patterns (at most `limit`), only those within reach: at most half the text's shape
 * may differ, so a step with no resemblance to any gets no suggestion rather than a random one.
 */
export function closestSteps(text: string, patterns: string[], limit = 3): Suggestion[] {
  const shape = textShape(text);
  const reach = Math.max(4, Math.ceil(shape.length / 2));
  return [...new Set(patterns)]
    .map((pattern) => ({ pattern, distance: distance(shape, patternShape(pattern)) }))
    .filter((s) => s.distance <= reach)
    .sort((a, b) => a.distance - b.distance || a.pattern.localeCompare(b.pattern))
    .slice(0, limit);
}

// biome-ignore lint/suspicious/noExplicitAny: cucumber's messages, read field by field
type Envelope = Record<string, any>;

/**
 * Collects, from cucumber's message stream, the step definitions and the steps none matched;
 * `render()` gives one "did you mean" block per distinct undefined text.
 */
export class UndefinedStepAdvisor {
  private readonly patterns: string[] = [];
  private readonly pickleSteps = new Map<string, string>();
  private readonly undefinedTexts = new Set<string>();

  onMessage = (envelope: Envelope): void => {
    if (envelope.stepDefinition) this.patterns.push(String(envelope.stepDefinition.pattern.source));
    if (envelope.pickle) for (const step of envelope.pickle.steps) this.pickleSteps.set(step.id, step.text);
    if (envelope.testCase) {
      for (const step of envelope.testCase.testSteps) {
        if (step.pickleStepId && (step.stepDefinitionIds ?? []).length === 0) {
          const text = this.pickleSteps.get(step.pickleStepId);
          if (text !== undefined) this.undefinedTexts.add(text);
        }
      }
    }
  };

  get undefinedSteps(): string[] {
    return [...this.undefinedTexts];
  }

  render(): string {
    if (this.undefinedTexts.size === 0) return '';
    const blocks = this.undefinedSteps.map((text) => {
      const near = closestSteps(text, this.patterns);
      if (near.length === 0)
        return `undefined step "${text}": no step is close; \`nodegroup-runbooks steps\` lists them all\n`;
      return `undefined step "${text}": did you mean\n${near.map((s) => `    ${s.pattern}\n`).join('')}`;
    });
    return `\n${blocks.join('')}`;
  }
}
