import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { EksNetworkingChecks } from '../../lib';
import { checkModel } from '../../lib/nag/rules';
import { AppModel } from '../../lib/template/model';

/** A finding as tests read it: rule suffix, construct path and sentence. */
export interface TestFinding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
  readonly message: string;
}

/** Synthesizes the app, then runs the pack over it, as the validation plugin does. */
export function packFindings(app: App): TestFinding[] {
  app.synth();
  return new EksNetworkingChecks().validateScope(app).violations.map((v) => ({
    rule: v.ruleName.replace(/^EksNetworking-/, ''),
    severity: v.severity ?? '',
    path: v.violatingResources[0].constructPath ?? '',
    message: v.description,
  }));
}

/** The rule suffixes of the findings, e.g. ['KUB1', 'NG1']. */
export function rulesOf(findings: TestFinding[]): string[] {
  return findings.map((f) => f.rule).sort();
}

let counter = 0;

/** Brings a raw template into a CDK app with CfnInclude and runs the pack over it. */
export function includeFindings(template: object): TestFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hen-'));
  const file = path.join(dir, `template-${counter++}.json`);
  fs.writeFileSync(file, JSON.stringify(template));
  const app = new App();
  const stack = new Stack(app, 'Included');
  new CfnInclude(stack, 'Template', { templateFile: file });
  return packFindings(app);
}

/** Runs the rules over a raw template as the command-line checker does. */
export function cliRules(template: object): string[] {
  return checkModel(AppModel.fromTemplate(template)).map((f) => f.rule.id).sort();
}

/**
 * A raw template of a private-endpoint L1 cluster with one managed node group on a dedicated node
 * security group, restricted as RestrictedKubeletAccess does: every rule of the pack passes.
 */
export function compliantTemplate(): any {
  const clusterSg = { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] };
  const nodeSg = { 'Fn::GetAtt': ['NodeSg', 'GroupId'] };
  return {
    Resources: {
      ClusterRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy', 'arn:aws:iam::aws:policy/AmazonEKSVPCResourceController'],
        },
      },
      Cluster: {
        Type: 'AWS::EKS::Cluster',
        Properties: {
          Name: 'prod',
          RoleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] },
          ResourcesVpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], EndpointPrivateAccess: true, EndpointPublicAccess: false },
        },
      },
      NodeSg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'nodes',
          VpcId: 'vpc-1',
          Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }],
        },
      },
      NodeSelf: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: nodeSg, IpProtocol: '-1', SourceSecurityGroupId: nodeSg },
      },
      KubeletFromCluster: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: nodeSg, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, SourceSecurityGroupId: clusterSg },
      },
      ApiFromNodes: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: clusterSg, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: nodeSg },
      },
      NodeLaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            SecurityGroupIds: [nodeSg],
            MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
          },
        },
      },
      NodeRole: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
      },
      Nodes: {
        Type: 'AWS::EKS::Nodegroup',
        Properties: {
          ClusterName: { Ref: 'Cluster' },
          NodeRole: { 'Fn::GetAtt': ['NodeRole', 'Arn'] },
          Subnets: ['subnet-1', 'subnet-2'],
          InstanceTypes: ['m6i.large'],
          LaunchTemplate: { Id: { Ref: 'NodeLaunchTemplate' }, Version: { 'Fn::GetAtt': ['NodeLaunchTemplate', 'LatestVersionNumber'] } },
        },
      },
    },
  };
}

/** A standalone ingress rule resource. */
export function ingress(groupId: unknown, protocol: string | number, from: number | undefined, to: number | undefined, source: object): object {
  return { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: groupId, IpProtocol: protocol, FromPort: from, ToPort: to, ...source } };
}

export const NODE_SG = { 'Fn::GetAtt': ['NodeSg', 'GroupId'] };
export const CLUSTER_SG = { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] };

/** A Kubernetes manifest resource of the aws-eks custom resource type. */
export function manifest(objects: object[] | object, clusterName: unknown = { Ref: 'Cluster' }): object {
  return {
    Type: 'Custom::AWSCDK-EKS-KubernetesResource',
    Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:kubectl', ClusterName: clusterName, Manifest: Array.isArray(objects) || typeof (objects as any)['Fn::Join'] === 'undefined' ? JSON.stringify(objects) : objects },
  };
}

/**
 * A manifest resource whose objects embed references, as CDK writes tokens: each string `@@<i>`
 * in the objects becomes `refs[i]` inside an `Fn::Join`.
 */
export function manifestWithRefs(objects: object[], refs: readonly unknown[], clusterName: unknown = { Ref: 'Cluster' }): object {
  const pieces = JSON.stringify(objects).split(/@@(\d+)/);
  const parts: unknown[] = pieces.map((piece, i) => (i % 2 === 1 ? refs[Number(piece)] : piece));
  return manifest({ 'Fn::Join': ['', parts] }, clusterName);
}

/** A SecurityGroupPolicy object. */
export function securityGroupPolicy(spec: object, namespace = 'payments', name = 'db-access'): object {
  return { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', metadata: { name, namespace }, spec };
}
