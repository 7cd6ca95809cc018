/** `npm run lint:links [root]`: fails when a Markdown link points outside the repository or at nothing (scripts/doc-links.ts). */
import { checkDocLinks } from "./doc-links.ts";

const root = process.argv[2] ?? process.cwd();
const broken = checkDocLinks(root);
for (const link of broken) console.error(`${link.file}:${link.line}: ${link.target}: ${link.problem}`);
if (broken.length > 0) {
  console.error(`${broken.length} broken link${broken.length === 1 ? "" : "s"} in the Markdown files`);
  process.exit(1);
}
console.log("every Markdown link points at a file and heading of the repository");
