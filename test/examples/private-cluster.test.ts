import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleApp } from './example-app';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { PrivateClusterStack } from '../../examples/private-cluster';
import { check } from '../../lib/cli/checker';
import { packFindings } from '../nag/util';
import { sgRef, v2ClusterSgRef } from '../util';

/** The violations of cdk-nag's AwsSolutions pack left unacknowledged, with where they are. */
function awsSolutionsViolations(app: ReturnType<typeof exampleApp>): string[] {
  return new AwsSolutionsChecks().validateScope(app).violations
    .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`);
}

/** The example, built as `cdk synth` builds it; without the ECR registry (ecr.dkr) endpoint when `withoutEcrDkr`. */
function build(options: { withoutEcrDkr?: boolean } = {}) {
  const app = exampleApp();
  const stack = new PrivateClusterStack(app, 'PrivateCluster', { env: EXAMPLE_ENV });
  if (options.withoutEcrDkr) {
    // PrivateClusterEndpoints' construct ids are part of its API: EcrDkr is the ECR registry endpoint.
    const dkr = stack.endpoints.interfaceEndpoints.find((e) => e.node.id === 'EcrDkr')!;
    expect(dkr.node.scope!.node.tryRemoveChild(dkr.node.id)).toBe(true);
  }
  // Synthesizes the app (aspects, the node egress among them, run then) before anything is read.
  const findings = packFindings(app);
  const cli = check([app.synth().directory]);
  return { app, stack, findings, cli, template: Template.fromStack(stack) };
}

describe('example: PrivateClusterStack (aws-eks-v2, private endpoint only, closed node egress, VPC endpoints)', () => {
  const example = build();
  const { template } = example;
  const region = EXAMPLE_ENV.region;

  test('the EksNetworking pack and AwsSolutions find nothing unacknowledged; no construct warning', () => {
    expect(example.findings).toEqual([]);
    expect(awsSolutionsViolations(example.app)).toEqual([]);
    Annotations.fromStack(example.stack).hasNoWarning('*', Match.anyValue());
  });

  test('the command-line checker finds nothing in its cloud assembly either', () => {
    expect(example.cli.problems).toEqual([]);
    expect(example.cli.templates.length).toBeGreaterThan(0);
    expect(example.cli.findings).toEqual([]);
  });

  test('the cluster endpoint is private only', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
    });
  });

  test('interface endpoints for ECR (api and dkr), EC2, STS, Logs, ELB, Auto Scaling, EKS and EKS Auth, with private DNS on the endpoint SG; S3 as a gateway endpoint', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((r: any) => r.Properties);
    const interfaces = endpoints.filter((p) => p.VpcEndpointType === 'Interface');
    expect(interfaces.map((p) => p.ServiceName).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'ec2', 'sts', 'logs', 'elasticloadbalancing', 'autoscaling', 'eks', 'eks-auth'].map((s) => `com.amazonaws.${region}.${s}`).sort());
    for (const p of interfaces) {
      expect(p.PrivateDnsEnabled).toBe(true);
      expect(p.SecurityGroupIds).toEqual([sgRef(template, 'EndpointsSecurityGroup')]);
    }
    expect(endpoints.filter((p) => p.VpcEndpointType === 'Gateway').map((p) => p.ServiceName)).toEqual([
      { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    ]);
  });

  test('the endpoint SG lets TCP 443 in from the node SG only, and sends nothing out', () => {
    const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(endpointSg));
    expect(ingress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: sgRef(template, 'Nodes') })]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^EKS private cluster VPC endpoints'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
  });

  test('the node SG\'s egress is closed: its own group, and TCP 443 to the endpoint SG, the S3 prefix list and the cluster SG', () => {
    const nodeSg = sgRef(template, 'Nodes');
    const [nodeSgResource] = Object.values(template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('^EKS node-only security group') },
    })) as any[];
    // No inline egress: the standalone rules replace the all-traffic rule EC2 would add.
    expect(nodeSgResource.Properties.SecurityGroupEgress).toBeUndefined();
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r: any) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(nodeSg))
      .map((p) => ({ protocol: p.IpProtocol, ports: p.FromPort === undefined ? 'all' : `${p.FromPort}-${p.ToPort}`, to: p.DestinationSecurityGroupId ?? p.DestinationPrefixListId ?? p.CidrIp ?? p.CidrIpv6 }));
    expect(egress).toEqual(expect.arrayContaining([
      { protocol: '-1', ports: 'all', to: nodeSg },
      { protocol: 'tcp', ports: '443-443', to: sgRef(template, 'EndpointsSecurityGroup') },
      { protocol: 'tcp', ports: '443-443', to: { 'Fn::GetAtt': [expect.stringMatching(/^EndpointsS3PrefixListLookup/), 'PrefixLists.0.PrefixListId'] } },
      { protocol: 'tcp', ports: '443-443', to: v2ClusterSgRef(template) },
    ]));
    expect(egress).toHaveLength(4);
  });

  describe('without the ECR registry (ecr.dkr) endpoint', () => {
    const broken = build({ withoutEcrDkr: true });

    test('the template has no ecr.dkr endpoint, and every other one', () => {
      const names = Object.values(broken.template.findResources('AWS::EC2::VPCEndpoint')).map((r: any) => JSON.stringify(r.Properties.ServiceName));
      expect(names).toHaveLength(9);
      expect(names.some((n) => n.endsWith('.ecr.dkr"'))).toBe(false);
    });

    test('the pack reports PRIV1 on the cluster, naming ecr.dkr only', () => {
      expect(broken.findings).toEqual([{
        rule: 'PRIV1',
        severity: 'error',
        path: 'PrivateCluster/Cluster/Resource',
        message: expect.stringMatching(/^AWS::EKS::Cluster Cluster\w+ has private endpoint access only, and its nodes have no path on TCP 443 .* NodesWorkers\w+ to ecr\.dkr; /),
      }]);
    });

    test('the command-line checker reports the same finding from the cloud assembly', () => {
      expect(broken.cli.findings.map((f) => `${f.ruleId} ${f.level} ${f.constructPath}: ${f.message}`))
        .toEqual(broken.findings.map((f) => `EksNetworking-${f.rule} ${f.severity} ${f.path}: ${f.message}`));
    });
  });
});
