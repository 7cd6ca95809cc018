/** `ctx.t()`: a binder's message in the request's locale, falling back to English, then to the key. */
import type { MessageCatalogs } from "../widget-registry/sdk.ts";

const PLACEHOLDER = /\{(\w+)\}/g;

export function translator(messages: MessageCatalogs | undefined, locale: string) {
  const language = locale.split("-")[0] ?? "en";
  const catalog = messages?.[locale] ?? messages?.[language];
  const fallback = messages?.en;
  return (key: string, params?: Record<string, string | number>): string => {
    const text = catalog?.[key] ?? fallback?.[key] ?? key;
    return params ? text.replace(PLACEHOLDER, (match, name: string) => String(params[name] ?? match)) : text;
  };
}

/** Whether any of the catalogs has `key`. */
export function hasMessage(messages: MessageCatalogs | undefined, key: string): boolean {
  return messages !== undefined && Object.values(messages).some((catalog) => catalog[key] !== undefined);
}
