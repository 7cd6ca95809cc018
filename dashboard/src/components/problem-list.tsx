/** Every problem the server found in the working copy, each a link to where it is. */
import { describePath } from "../problems.ts";
import type { PageLayout, Problem } from "../types.ts";

interface Props {
  problems: Problem[];
  layout: PageLayout;
  onGo: (variantId: string, placement?: number) => void;
}

export function ProblemList({ problems, layout, onGo }: Props) {
  return (
    <section class="notice error problems" aria-label="Problems">
      <strong>
        {problems.length} problem{problems.length === 1 ? "" : "s"} to fix before publishing
      </strong>
      <ul>
        {problems.slice(0, 6).map((problem, i) => {
          const variant =
            problem.path[0] === "variants" && typeof problem.path[1] === "number" ? layout.variants[problem.path[1]] : undefined;
          const placementIndex = problem.path[2] === "placements" && typeof problem.path[3] === "number" ? problem.path[3] : undefined;
          const placement = placementIndex === undefined ? undefined : variant?.placements[placementIndex];
          const where = variant
            ? `${variant.id}${placement ? ` › ${placement.instanceId}` : ""}${describePath(problem.path.slice(placement ? 4 : 2)) ? ` › ${describePath(problem.path.slice(placement ? 4 : 2))}` : ""}`
            : describePath(problem.path) || "page";
          return (
            <li key={i}>
              {variant ? (
                <button type="button" class="link" onClick={() => onGo(variant.id, placementIndex)}>
                  {where}
                </button>
              ) : (
                <span>{where}</span>
              )}
              : {problem.message}
            </li>
          );
        })}
        {problems.length > 6 && <li class="muted">and {problems.length - 6} more</li>}
      </ul>
    </section>
  );
}
