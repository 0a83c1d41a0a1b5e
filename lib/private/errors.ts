import { IConstruct } from 'constructs';

/**
 * The one error this library throws for bad input. Its message starts with the construct path,
 * then lists every problem found, each naming the prop, the value and the fix.
 */
export class HardenedEksNetworkingError extends Error {
  constructor(scope: IConstruct, problems: string[]) {
    const path = scope.node.path;
    const body = problems.length === 1
      ? problems[0]
      : `${problems.length} problems:${problems.map((p) => `\n  - ${p}`).join('')}`;
    super(`${path}: ${body}`);
    this.name = 'HardenedEksNetworkingError';
  }
}

/** Throws once, listing every problem, when there is any. */
export function throwIfProblems(scope: IConstruct, problems: string[]): void {
  if (problems.length > 0) {
    throw new HardenedEksNetworkingError(scope, problems);
  }
}
