import { Annotations, Aspects, AspectPriority, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { asString, intrinsic } from '../nag/model/json';
import { stackTemplate } from '../nag/model/stack-template';
import { TemplateModel } from '../nag/model/template-model';

/** The template model of a cluster's stack and the cluster's logical id, when the cluster is in it. */
export interface ClusterView {
  readonly model: TemplateModel;
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
  const clusterId = ref?.name === 'Ref' ? asString(ref.args) : undefined;
  if (clusterId === undefined) return undefined;
  const model = TemplateModel.fromTemplate(stackTemplate(stack));
  return model.clusters.has(clusterId) ? { model, clusterId } : undefined;
}

/** Adds an acknowledgeable warning `hardened-eks-networking:<id>`. */
export function warn(scope: IConstruct, id: string, message: string): void {
  Annotations.of(scope).addWarningV2(`hardened-eks-networking:${id}`, message);
}
