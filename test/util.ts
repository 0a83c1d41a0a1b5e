import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../lib';

/** A stack with a VPC and an aws-eks cluster with no default capacity. */
export interface ClusterFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: eks.Cluster;
}

export function clusterFixture(options: { endpointAccess?: eks.EndpointAccess; clusterName?: string } = {}): ClusterFixture {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = testCluster(stack, vpc, options);
  return { app, stack, vpc, cluster };
}

/** An aws-eks cluster 'Cluster' with its kubectl layer, no default capacity, private endpoint unless said otherwise. */
export function testCluster(stack: Stack, vpc: ec2.IVpc, options: { endpointAccess?: eks.EndpointAccess; clusterName?: string } = {}): eks.Cluster {
  return new eks.Cluster(stack, 'Cluster', {
    vpc,
    // Tests only synthesize: the oldest layer is enough (the examples use a supported version).
    version: eks.KubernetesVersion.V1_29,
    kubectlLayer: new KubectlV29Layer(stack, 'Kubectl'),
    endpointAccess: options.endpointAccess ?? eks.EndpointAccess.PRIVATE,
    defaultCapacity: 0,
    clusterName: options.clusterName,
  });
}

/** A HardenedNodeSecurityGroup 'Nodes' restricted by a RestrictedKubeletAccess 'Kubelet', as the README shows them. */
export function restrictedNodes(f: ClusterFixture): HardenedNodeSecurityGroup {
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
  return nodes;
}

/** The cluster security group, as the template refers to it. */
export function clusterSgRef(template: Template): unknown {
  const clusters = Object.keys(template.findResources('Custom::AWSCDK-EKS-Cluster'));
  if (clusters.length !== 1) throw new Error(`expected one cluster, found ${clusters.length}`);
  return { 'Fn::GetAtt': [clusters[0], 'ClusterSecurityGroupId'] };
}

/** An ingress rule of the template, inline or standalone, with its target group. */
export interface IngressRule {
  readonly groupId: unknown;
  readonly ipProtocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrIp?: unknown;
  readonly cidrIpv6?: unknown;
  readonly sourcePrefixListId?: unknown;
  readonly sourceSecurityGroupId?: unknown;
}

/** Every ingress rule of the template: inline ones on their SG, and standalone ones. */
export function ingressRules(template: Template): IngressRule[] {
  const rules: IngressRule[] = [];
  const toRule = (groupId: unknown, p: any): IngressRule => ({
    groupId,
    ipProtocol: String(p.IpProtocol),
    fromPort: p.FromPort,
    toPort: p.ToPort,
    cidrIp: p.CidrIp,
    cidrIpv6: p.CidrIpv6,
    sourcePrefixListId: p.SourcePrefixListId,
    sourceSecurityGroupId: p.SourceSecurityGroupId,
  });
  for (const [id, sg] of Object.entries(template.findResources('AWS::EC2::SecurityGroup'))) {
    for (const inline of (sg as any).Properties?.SecurityGroupIngress ?? []) {
      rules.push(toRule({ 'Fn::GetAtt': [id, 'GroupId'] }, inline));
    }
  }
  for (const rule of Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))) {
    rules.push(toRule((rule as any).Properties.GroupId, (rule as any).Properties));
  }
  return rules;
}

/** Whether a rule lets TCP traffic to the port through. */
export function coversTcpPort(rule: IngressRule, port: number): boolean {
  if (rule.ipProtocol === '-1') return true;
  if (rule.ipProtocol !== 'tcp' && rule.ipProtocol !== '6') return false;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/** The GetAtt of a security group's id, by the path prefix of its logical id. */
export function sgRef(template: Template, logicalIdPrefix: string): unknown {
  const ids = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).filter((id) => id.startsWith(logicalIdPrefix));
  if (ids.length !== 1) throw new Error(`expected one security group starting with ${logicalIdPrefix}, found ${ids.join(', ')}`);
  return { 'Fn::GetAtt': [ids[0], 'GroupId'] };
}

/**
 * The Kubernetes objects of a kind that the stack applies with `Custom::AWSCDK-EKS-KubernetesResource`,
 * parsed; each reference embedded in a manifest (a security group id) reads `sg-0123456789abcdef0`.
 */
export function kubernetesObjects(template: Template, kind: string): any[] {
  return Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
    .map((r: any) => r.Properties.Manifest)
    .map((m: any) => (typeof m === 'string' ? m : m['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'sg-0123456789abcdef0')).join('')))
    .flatMap((m: string) => JSON.parse(m))
    .filter((o: any) => o.kind === kind);
}

/** A stack with a VPC and an aws-eks-v2 cluster. */
export interface V2ClusterFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: eksv2.Cluster;
}

/**
 * An aws-eks-v2 cluster 'Cluster' in a stack 'Test' with a VPC: EKS Auto Mode on (the module's
 * default), or, with `nodegroups`, managed node groups only and no default capacity; with a
 * kubectl provider (and its layer 'Kubectl') only when `kubectl` is set.
 */
export function v2ClusterFixture(options: { kubectl?: boolean; nodegroups?: boolean } = {}): V2ClusterFixture {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new eksv2.Cluster(stack, 'Cluster', {
    vpc,
    version: eksv2.KubernetesVersion.V1_29,
    endpointAccess: eksv2.EndpointAccess.PRIVATE,
    ...(options.nodegroups ? { defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 } : {}),
    ...(options.kubectl ? { kubectlProviderOptions: { kubectlLayer: new KubectlV29Layer(stack, 'Kubectl') } } : {}),
  });
  return { app, stack, vpc, cluster };
}

/** The logical id of the one `AWS::EKS::Cluster` (an aws-eks-v2 cluster) of the template. */
export function v2ClusterLogicalId(template: Template): string {
  const clusters = Object.keys(template.findResources('AWS::EKS::Cluster'));
  if (clusters.length !== 1) throw new Error(`expected one AWS::EKS::Cluster, found ${clusters.length}`);
  return clusters[0];
}

/** The cluster security group of an aws-eks-v2 cluster, as the template refers to it. */
export function v2ClusterSgRef(template: Template): unknown {
  return { 'Fn::GetAtt': [v2ClusterLogicalId(template), 'ClusterSecurityGroupId'] };
}

/**
 * JSON text as CloudFormation gets it (a string, or an `Fn::Join` of strings and references:
 * `stack.resolve()` of a token string, a template's output value or manifest), parsed; each
 * reference reads `<LogicalId>` (a Ref) or `<LogicalId>.<Attribute>` (a GetAtt).
 */
export function jsonWithReferences(resolved: unknown): any {
  const parts: unknown[] = typeof resolved === 'string' ? [resolved] : (resolved as any)['Fn::Join'][1];
  return JSON.parse(parts.map((part: any) => {
    if (typeof part === 'string') return part;
    if (part.Ref !== undefined) return part.Ref;
    if (part['Fn::GetAtt'] !== undefined) return part['Fn::GetAtt'].join('.');
    throw new Error(`an unexpected reference in JSON text: ${JSON.stringify(part)}`);
  }).join(''));
}

/** The message of what `build` throws; fails the test when nothing is thrown. */
export function thrown(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}
