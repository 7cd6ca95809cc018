/**
 * What values a page parameter may take: a closed set of kinds, so that every value a request may
 * put into a cache key or a binder's fetch is short and of a safe charset (a layout names a kind,
 * never a pattern of its own).
 */
export const PARAMETER_KINDS = {
  "content-id": { pattern: /^m[0-9]{1,9}$/, rule: "must be a content id such as m12" },
  text: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9 ./&'_-]{0,63}$/,
    rule: "must be 1 to 64 letters, digits, spaces and . / & ' _ -, starting with a letter or digit",
  },
} as const satisfies Record<string, { pattern: RegExp; rule: string }>;

export type ParameterKind = keyof typeof PARAMETER_KINDS;
export const PARAMETER_KIND_NAMES = Object.keys(PARAMETER_KINDS) as [ParameterKind, ...ParameterKind[]];

/** A parameter's name: a query parameter's, e.g. "contentId". */
export const PARAMETER_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;
export const PARAMETER_NAME_RULE = "a letter a-z then letters and digits (1 to 32), e.g. contentId";

/** Why `value` is not a value of `kind`; undefined when it is. */
export function parameterValueProblem(kind: ParameterKind, value: string): string | undefined {
  const { pattern, rule } = PARAMETER_KINDS[kind];
  return pattern.test(value) ? undefined : rule;
}
