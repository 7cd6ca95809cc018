/**
 * The link check of the repository's Markdown: every link of a `*.md` file must point at a file
 * inside the repository that exists, and at a heading of it that exists when it names an anchor.
 * Web links (http, https, mailto) are left alone: no network is asked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export interface BrokenLink {
  /** The Markdown file, relative to the root, with forward slashes. */
  file: string;
  line: number;
  target: string;
  problem: string;
}

const SKIPPED_DIRS = new Set(["node_modules", "gen", "artifacts", "coverage", "dist"]);
const WEB = /^(https?:|mailto:)/i;
const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;

export function markdownFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...markdownFiles(root, path));
    else if (entry.name.endsWith(".md")) files.push(path);
  }
  return files;
}

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to dashes, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of linesOutsideCode(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/`/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The lines of a Markdown text outside fenced code blocks. */
function linesOutsideCode(markdown: string): Array<{ text: string; line: number }> {
  const lines: Array<{ text: string; line: number }> = [];
  let fence: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const marker = /^\s{0,3}(```|~~~)/.exec(text)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) lines.push({ text, line: index + 1 });
  });
  return lines;
}

export function linksOf(markdown: string): Array<{ target: string; line: number }> {
  const links: Array<{ target: string; line: number }> = [];
  for (const { text: raw, line } of linesOutsideCode(markdown)) {
    const text = raw.replace(/`[^`]*`/g, "``");
    for (const match of text.matchAll(INLINE_LINK)) links.push({ target: match[1]!, line });
    const definition = REFERENCE_DEFINITION.exec(text)?.[1];
    if (definition) links.push({ target: definition, line });
  }
  return links;
}

const toPosix = (path: string) => path.split(sep).join("/");

export function checkDocLinks(root: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (path: string) => {
    let anchors = anchorCache.get(path);
    if (!anchors) {
      anchors = anchorsOf(readFileSync(path, "utf8"));
      anchorCache.set(path, anchors);
    }
    return anchors;
  };
  for (const path of markdownFiles(root)) {
    const file = toPosix(relative(root, path));
    for (const { target, line } of linksOf(readFileSync(path, "utf8"))) {
      if (WEB.test(target)) continue;
      const report = (problem: string) => broken.push({ file, line, target, problem });
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("/")) {
        report("points outside the repository (use a path relative to this file)");
        continue;
      }
      const [pathPart = "", anchor] = target.split("#", 2);
      const resolved = pathPart === "" ? path : resolve(dirname(path), decodeURIComponent(pathPart));
      const inside = toPosix(relative(root, resolved));
      if (inside.startsWith("..")) {
        report("points outside the repository");
        continue;
      }
      if (!existsSync(resolved)) {
        report("no such file");
        continue;
      }
      if (
        anchor &&
        resolved.endsWith(".md") &&
        statSync(resolved).isFile() &&
        !anchorsIn(resolved).has(decodeURIComponent(anchor).toLowerCase())
      ) {
        report(`no heading with the anchor #${anchor}`);
      }
    }
  }
  return broken;
}
