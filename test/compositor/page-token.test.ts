import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors.ts";
import { createPageTokens, MAX_PAGE_TOKEN_LENGTH, type PageTokenClaims } from "../../compositor/composition/page-token.ts";

const claims: PageTokenClaims = {
  pageId: "home",
  instanceId: "genre-drama",
  layoutVersion: "3",
  variantId: "default",
  dataVersion: "catalog-1",
  cursor: "20",
};
const HOUR = 3_600_000;

/** The ApiError `open` throws. */
function refusal(open: () => unknown): ApiError {
  try {
    open();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the token was accepted");
}

describe("page tokens", () => {
  it("give back what they were made with", () => {
    const tokens = createPageTokens("secret");
    const token = tokens.issue(claims);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(token.length).toBeLessThan(300);
    expect(tokens.open(token, "home")).toEqual(claims);
  });

  it("are the same bytes within an hour, so that a page keeps its ETag", () => {
    let now = 10 * HOUR + 1000;
    const tokens = createPageTokens("secret", () => now);
    const token = tokens.issue(claims);
    now += HOUR - 2000;
    expect(tokens.issue(claims)).toBe(token);
  });

  it("expire at the end of the hour after the one they were made in", () => {
    let now = 10 * HOUR + 1000;
    const tokens = createPageTokens("secret", () => now);
    const token = tokens.issue(claims);
    now = 12 * HOUR - 1;
    expect(tokens.open(token, "home").cursor).toBe("20");
    now = 12 * HOUR;
    const error = refusal(() => tokens.open(token, "home"));
    expect([error.status, error.code, error.message]).toEqual([400, "invalid-parameter", "pageToken: has expired; reload the page"]);
  });

  it("refuse a token with one byte changed, or another server's", () => {
    const tokens = createPageTokens("secret");
    const token = tokens.issue(claims);
    const flipped = `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`;
    expect(refusal(() => tokens.open(flipped, "home")).message).toMatch(/^pageToken: .*signature does not match/);
    expect(refusal(() => createPageTokens("other").open(token, "home")).message).toMatch(/signature does not match/);
  });

  it("refuse another page's", () => {
    const tokens = createPageTokens("secret");
    const token = tokens.issue(claims);
    expect(refusal(() => tokens.open(token, "kids")).message).toBe('pageToken: is for page "home", not "kids"');
  });

  it("are the same for every caller of the page, and differ by cursor", () => {
    const tokens = createPageTokens("secret");
    const token = tokens.issue(claims);
    expect(tokens.issue({ ...claims })).toBe(token);
    expect(tokens.issue({ ...claims, cursor: "40" })).not.toBe(token);
  });

  it("refuse what is not a token: empty, too long, malformed", () => {
    const tokens = createPageTokens("secret");
    expect(refusal(() => tokens.open("", "home")).message).toMatch(/^pageToken: is required/);
    expect(refusal(() => tokens.open("a".repeat(MAX_PAGE_TOKEN_LENGTH + 1), "home")).message).toMatch(/longer than 1024/);
    for (const junk of ["abc", "a.b.c", "..", "%%%.%%%"]) expect(refusal(() => tokens.open(junk, "home")).code).toBe("invalid-parameter");
  });
});
