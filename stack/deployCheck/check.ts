/**
 * `npm run deploy:check`: offline validation of everything that ships to Kubernetes (chart, Terraform,
 * alert rules, dashboards, workflows). Each kind of artifact is one DeployCheck in its own file,
 * listed in ./checks.ts; the runner (./run.ts) installs the tools they need into the cache, runs
 * every check, prints each defect, and fails if there is any.
 */

/** One defect: where it is and what is wrong, in words an operator can act on. */
export interface Defect {
  /** A path relative to the repository (or a rendered manifest's name), and a line if known. */
  where: string;
  message: string;
}

export interface CheckContext {
  /** The repository root being checked (a test may point it at a broken copy). */
  root: string;
  /** Writable scratch directory for rendered output, removed after the run. */
  tmp: string;
}

export interface DeployCheck {
  /** What it checks, e.g. "helm lint --strict". */
  name: string;
  /** Installs (or finds in the cache) what it needs; called before run, may take minutes the first time. */
  prepare?: () => Promise<void>;
  /** Answers every defect found; an empty list means the check passed. */
  run: (ctx: CheckContext) => Promise<Defect[]>;
}
