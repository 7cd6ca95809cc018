import { describe, expect, it } from "vitest";
import { personaFor } from "../../widget-registry/persona.ts";

describe("the persona of a caller whose token names none", () => {
  // Anonymous clients compute it themselves by the README's rule: these values must never change.
  it.each([
    ["u42", "p2"],
    ["alice", "p7"],
    ["device-1", "p1"],
    ["élodie", "p1"],
    ["🎬-tv", "p6"],
    ["", "p0"],
  ])("of %j is %s", (key, persona) => {
    expect(personaFor(key)).toBe(persona);
  });
});
