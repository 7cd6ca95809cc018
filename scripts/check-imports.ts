/** `npm run lint:imports [root]`: fails when an import breaks a dependency rule (scripts/import-rules.ts). */
import { checkImports } from "./import-rules.ts";

const root = process.argv[2] ?? process.cwd();
const violations = checkImports(root);
for (const violation of violations) {
  console.error(`${violation.file}:${violation.line}: imports "${violation.specifier}": ${violation.rule}`);
}
if (violations.length > 0) {
  console.error(`${violations.length} import${violations.length === 1 ? "" : "s"} break the dependency rules`);
  process.exit(1);
}
console.log("imports follow the dependency rules");
