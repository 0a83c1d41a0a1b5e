import { Annotations, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { stackInputs } from '../template/cdk';
import { asString, intrinsic } from '../template/json';
import { AppModel } from '../template/model';

/** The template model of the cluster's app and the cluster's key, when the cluster is in it. */
export interface ClusterView {
  readonly model: AppModel;
  readonly clusterId: string;
}

/**
 * Runs `check` once the construct tree is final (after every mutating Aspect, tags included),
 * with the template model of the cluster's stack. Nothing happens for a cluster that is not in a
 * template of this app (an imported cluster): there is nothing to read.
 */
export function afterTreeIsFinal(scope: IConstruct, cluster: eks.ICluster, check: (view: ClusterView) => void): void {
  Aspects.of(scope).add({
    visit: (node) => {
      if (node !== scope) return;
      const view = viewOf(cluster);
      if (view) check(view);
    },
  }, { priority: AspectPriority.READONLY });
}

function viewOf(cluster: eks.ICluster): ClusterView | undefined {
  const stack = Stack.of(cluster);
  const ref = intrinsic(stack.resolve(cluster.clusterName));
  const logicalId = ref?.name === 'Ref' ? asString(ref.args) : undefined;
  if (logicalId === undefined) return undefined;
  const model = AppModel.fromStacks(stackInputs(stack.node.root));
  const clusterId = model.resourceIn(stack.node.path, logicalId)?.key;
  return clusterId !== undefined && model.clusters.has(clusterId) ? { model, clusterId } : undefined;
}

/** Adds an acknowledgeable warning `hardened-eks-networking:<id>`. */
export function warn(scope: IConstruct, id: string, message: string): void {
  Annotations.of(scope).addWarningV2(`hardened-eks-networking:${id}`, message);
}
