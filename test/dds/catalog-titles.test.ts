import { describe, expect, it } from "vitest";
import { loadCatalog, repairTitle } from "../../dds/catalog/films.ts";

describe("the demo catalog's titles", () => {
  it.each([
    ["Le Fabuleux destin d'AmÈlie Poulain", "Le Fabuleux destin d'Amélie Poulain"],
    ["Per qualche dollaro in pi˘", "Per qualche dollaro in più"],
    ["The Naked Gun 2Ω: The Smell of Fear", "The Naked Gun 2½: The Smell of Fear"],
    ["I Love You Ö Don't Touch Me!", "I Love You … Don't Touch Me!"],
    ["Alien³", "Alien³"],
    ["Ri¢hie Ri¢h", "Ri¢hie Ri¢h"],
    ["Up", "Up"],
  ])("%s reads %s", (source, title) => {
    expect(repairTitle(source)).toBe(title);
  });

  it("are repaired as the catalog loads", () => {
    const titles = new Set(loadCatalog().films.map((film) => film.title));
    expect(titles.has("Léon")).toBe(true);
    expect(titles.has("LÈon")).toBe(false);
    expect([...titles].filter((title) => /[ÈÍË‡Ù˘Ω]/.test(title))).toEqual([]);
  });
});
