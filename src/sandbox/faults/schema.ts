/**
 * Options schemas of faults: each option is a small validator with a description, so a bad PUT
 * body gets a message that says exactly what is wrong (400 on the control API).
 */
import { describeValue } from '../http/http';
import { badRequest } from '../store/status';

export interface OptionSpec<T> {
  /** What the option means (listed by GET /sandbox/v1/faults). */
  describe: string;
  required: boolean;
  /** Check a present value; throws a message fragment on a bad one. */
  check(value: unknown): T;
}

export type OptionsSchema<O> = { [K in keyof O]-?: OptionSpec<O[K]> };

class OptionError extends Error {}

export const integer = (min: number, max: number, describe: string, required = true): OptionSpec<number> => ({
  describe,
  required,
  check(value) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new OptionError(`must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return value;
  },
});

export const text = (describe: string): OptionSpec<string> => ({
  describe,
  required: true,
  check(value) {
    if (typeof value !== 'string' || value === '') throw new OptionError(`is required: ${describe}`);
    return value;
  },
});

export const httpMethod = (): OptionSpec<string | undefined> => ({
  describe: 'only this HTTP method (any when absent)',
  required: false,
  check(value) {
    if (typeof value !== 'string' || !/^[A-Za-z]+$/.test(value))
      throw new OptionError(`must be an HTTP method such as "GET", got ${JSON.stringify(value)}`);
    return value.toUpperCase();
  },
});

/** Check a PUT body against a fault's schema; returns the normalised options. */
export function parseOptions<O>(name: string, schema: OptionsSchema<O>, body: unknown): O {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(
      `fault "${name}": the body must be a JSON object of options, got ${describeValue(body)}`,
    );
  }
  const raw = body as Record<string, unknown>;
  const keys = Object.keys(schema) as (keyof O & string)[];
  const unknown = Object.keys(raw).filter((key) => !(keys as string[]).includes(key));
  if (unknown.length) {
    const takes = keys.length ? `its options are ${keys.join(', ')}` : 'it takes no options';
    throw badRequest(`fault "${name}" has no option ${unknown.map((k) => `"${k}"`).join(', ')}: ${takes}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const spec = schema[key] as OptionSpec<unknown>;
    if (raw[key] === undefined && !spec.required) continue;
    try {
      out[key] = spec.check(raw[key]);
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      throw badRequest(`fault "${name}": option "${key}" ${err.message}`);
    }
  }
  return out as O;
}

/** The schema as the control API lists it. */
export const describeSchema = <O>(schema: OptionsSchema<O>) =>
  Object.fromEntries(
    Object.entries(schema).map(([key, spec]) => {
      const s = spec as OptionSpec<unknown>;
      return [key, { required: s.required, describe: s.describe }];
    }),
  );
