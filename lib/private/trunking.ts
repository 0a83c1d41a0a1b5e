import { BRANCH_INTERFACES } from './trunking-limits';

/**
 * Whether an instance type can run pods with their own security groups (trunk ENIs). The EKS
 * user guide excludes every `t` family type, whatever the limits data says.
 */
export function canTrunk(instanceType: string): boolean {
  if (/^t\d/.test(instanceType)) return false;
  return (BRANCH_INTERFACES[instanceType] ?? 0) > 0;
}

/** How many pods with their own security groups one instance of the type supports (0 when it cannot trunk). */
export function branchInterfaces(instanceType: string): number {
  return canTrunk(instanceType) ? BRANCH_INTERFACES[instanceType] : 0;
}
