import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WarningCode } from '../errors';

/**
 * Adds an acknowledgeable warning `hardened-eks-networking:<id>` to a construct, from its
 * constructor. Users acknowledge it with
 * `Validations.of(construct).acknowledge({ id: 'hardened-eks-networking:<id>', reason })`.
 *
 * `Validations.addWarning()` is `Annotations.addWarningV2()` with the ID as `acknowledge()`
 * qualifies it (`annotation::hardened-eks-networking:<id>`): with aws-cdk-lib 2.258 a warning added
 * by `Annotations.addWarningV2()` under the bare ID matches no ID `Validations.acknowledge()` takes.
 * `acknowledge()` removes the warnings that exist when it is called (and a parent's acknowledgement
 * holds for warnings added below it later); a warning added after the tree is final would escape an
 * acknowledgement on the construct itself, so checks that need the whole app are rules of the
 * EksNetworkingChecks pack instead.
 */
export function warn(scope: IConstruct, id: WarningCode, message: string): void {
  Validations.of(scope).addWarning(`hardened-eks-networking:${id}`, message);
}
