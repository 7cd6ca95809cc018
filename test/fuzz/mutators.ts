/** Ways to spoil a valid request: each takes the surface's request and returns a hostile one. */
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { FuzzContext, FuzzRequest, Subject, Surface } from "./surfaces.ts";

export interface Mutation {
  request: FuzzRequest;
  surface: Surface;
  ctx: FuzzContext;
  subject: Subject;
  random: () => number;
}

export interface Mutator {
  name: string;
  apply(mutation: Mutation): FuzzRequest;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const bytes = (count: number, random: () => number) => Uint8Array.from({ length: count }, () => Math.floor(random() * 256));
const text = (value: string) => new TextEncoder().encode(value);
const withBody = (request: FuzzRequest, body: Uint8Array, headers: Record<string, string> = {}): FuzzRequest => ({
  ...request,
  method: request.method === "GET" ? "POST" : request.method,
  headers: { ...request.headers, ...headers },
  body,
});

const GZIP_MEMBER = gzipSync(Buffer.alloc(4 * 1024 * 1024, " "), { level: 9 });
/** `members` × 4 MiB of JSON whitespace as one gzip stream of ~4 KB per member, made in milliseconds. */
export const gzipBomb = (members: number): Buffer => Buffer.concat(Array.from({ length: members }, () => GZIP_MEMBER));
/** 64 MiB in 64 KB: inflates far past every limit. */
const GZIP_BOMB = gzipBomb(16);
/** Twice the body limit. */
const HUGE_JSON = text(`{"pageId":"${"x".repeat(2 * 1024 * 1024)}"}`);
const deepJson = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let level = 0; level < depth; level++) value = { nested: value };
  return value;
};

export const ODD_PAGE_IDS = [
  "home\u0000",
  "AAAAAAAAAAAA",
  "a".repeat(300),
  "a".repeat(65),
  "☃",
  "../../etc/passwd",
  "home/../home",
  "",
  "-home",
  "home.json",
  "%00",
  "HOME",
  "h\u202eome",
  "con",
  "home\n",
];

const CONTENT_TYPES = [
  "text/plain",
  "application/xml",
  "application/json",
  "application/proto",
  "application/grpc-web+json",
  "application/connect+json",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "",
];
const BAD_TOKENS = [
  "garbage",
  "Bearer",
  "Bearer ",
  "Bearer a.b.c",
  `Bearer ${"x".repeat(9000)}`,
  "Basic dXNlcjpwYXNz",
  "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
];

export const mutators: readonly Mutator[] = [
  { name: "none", apply: ({ request }) => request },
  { name: "junk body", apply: ({ request, random }) => withBody(request, bytes(1 + Math.floor(random() * 512), random)) },
  {
    name: "truncated body",
    apply: ({ request, random }) =>
      request.body ? { ...request, body: request.body.subarray(0, Math.floor(random() * request.body.length)) } : request,
  },
  {
    name: "flipped bytes",
    apply: ({ request, random }) => {
      if (!request.body || request.body.length === 0) return request;
      const body = Uint8Array.from(request.body);
      for (let flips = 0; flips < 4; flips++) body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      return { ...request, body };
    },
  },
  {
    name: "wrong content type",
    apply: ({ request, random }) => ({ ...request, headers: { ...request.headers, "content-type": pick(CONTENT_TYPES, random) } }),
  },
  { name: "huge JSON", apply: ({ request }) => withBody(request, HUGE_JSON, { "content-type": "application/json" }) },
  {
    name: "deep JSON",
    apply: ({ request, surface, ctx, subject, random }) => {
      if (random() < 0.5) return withBody(request, text(deepJson(200 + Math.floor(random() * 5000))));
      const layout = structuredClone(subject.layout) as {
        variants: Array<{ match: Record<string, unknown>; placements: Array<{ config: Record<string, unknown> }> }>;
      };
      const depth = 20 + Math.floor(random() * 4000);
      if (random() < 0.5) layout.variants[0]!.placements[0]!.config = deepObject(depth);
      else layout.variants[0]!.match = { platforms: JSON.parse(deepJson(depth)) };
      return surface.make(ctx, { ...subject, layout });
    },
  },
  {
    name: "bad base64",
    apply: ({ request, random }) => ({
      ...request,
      method: "GET",
      path: `${request.path.split("?")[0]}?connect=v1&encoding=${pick(["proto", "json", "xml"], random)}&base64=1&message=${pick(["%%%", "!!!!", "AAA", "@@==", "%00"], random)}`,
      body: undefined,
    }),
  },
  {
    name: "gzip junk",
    apply: ({ request, random }) =>
      withBody(request, gzipSync(bytes(256, random)).subarray(0, 40), {
        "content-encoding": "gzip",
        "connect-content-encoding": "gzip",
        "grpc-encoding": "gzip",
      }),
  },
  {
    name: "brotli junk",
    apply: ({ request, random }) =>
      withBody(request, random() < 0.5 ? bytes(64, random) : brotliCompressSync(bytes(64, random)), {
        "content-encoding": "br",
        "grpc-encoding": "br",
      }),
  },
  {
    name: "gzip bomb",
    apply: ({ request }) =>
      withBody(request, GZIP_BOMB, { "content-encoding": "gzip", "content-type": request.headers["content-type"] || "application/json" }),
  },
  {
    name: "odd page id",
    apply: ({ surface, ctx, subject, random }) => surface.make(ctx, { ...subject, pageId: pick(ODD_PAGE_IDS, random) }),
  },
  {
    name: "oversized header",
    apply: ({ request, random }) => ({
      ...request,
      headers: { ...request.headers, [`x-junk-${Math.floor(random() * 9)}`]: "j".repeat(20_000) },
    }),
  },
  {
    name: "bad token",
    apply: ({ request, random }) => ({ ...request, headers: { ...request.headers, authorization: pick(BAD_TOKENS, random) } }),
  },
  {
    name: "wrong method",
    apply: ({ request, random }) => ({
      ...request,
      method: pick(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"], random),
      body: undefined,
    }),
  },
  { name: "no body", apply: ({ request }) => ({ ...request, body: undefined }) },
];
