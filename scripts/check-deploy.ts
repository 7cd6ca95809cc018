/** `npm run lint:deploy [root]`: fails when a Kubernetes manifest or the Dockerfile breaks a check (scripts/deploy-checks.ts). */
import { checkDeploy } from "./deploy-checks.ts";

const problems = await checkDeploy(process.argv[2] ?? process.cwd());
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} problem${problems.length === 1 ? "" : "s"} in the deployment`);
  process.exit(1);
}
console.log("the Kubernetes manifests and the Dockerfile pass their checks");
