import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf, checkDocLinks } from "../../scripts/doc-links.ts";
import { tempTrees } from "../support/temp-tree.ts";

const REPO = join(import.meta.dirname, "../..");
const tree = tempTrees("tessera-links-");

describe("the Markdown link check", () => {
  it("passes on this repository", () => {
    expect(checkDocLinks(REPO)).toEqual([]);
  });

  it("names links outside the repository, to missing files and to missing headings", () => {
    const root = tree({
      "README.md": [
        "# Title",
        "[design](../outside/DESIGN.md) [abs](/etc/passwd) [gone](docs/gone.md)",
        "[ok](docs/guide.md#the-part) [bad anchor](docs/guide.md#no-such-part) [here](#title) [web](https://example.com/x)",
        "```",
        "[in code](nowhere.md)",
        "```",
      ].join("\n"),
      "docs/guide.md": "# Guide\n## The part\n",
    });
    expect(checkDocLinks(root)).toEqual([
      { file: "README.md", line: 2, target: "../outside/DESIGN.md", problem: "points outside the repository" },
      { file: "README.md", line: 2, target: "/etc/passwd", problem: "points outside the repository (use a path relative to this file)" },
      { file: "README.md", line: 2, target: "docs/gone.md", problem: "no such file" },
      { file: "README.md", line: 3, target: "docs/guide.md#no-such-part", problem: "no heading with the anchor #no-such-part" },
    ]);
  });

  it("makes GitHub's anchors: punctuation dropped, code unwrapped, repeats numbered", () => {
    expect([...anchorsOf("# Run `npm start`: now!\n## Setup\n## Setup\n")]).toEqual(["run-npm-start-now", "setup", "setup-1"]);
  });
});
