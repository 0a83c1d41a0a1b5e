import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, CfnResource, IAspect, NestedStack, PolicyValidationPluginReport, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { EksNetworkingChecks } from '../../lib';

/** Findings as comparable lines. */
function lines(report: PolicyValidationPluginReport): string[] {
  return report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0].constructPath}: ${v.description}`).sort();
}

/** Adds an open kubelet rule to every node SG at synthesis (what the rules must see). */
class OpenKubelet implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof ec2.CfnSecurityGroup && node.node.id === 'NodeSg') {
      node.addPropertyOverride('SecurityGroupIngress', [{ IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '0.0.0.0/0' }]);
    }
  }
}

function app(): App {
  const a = new App();
  for (const scope of [a, new Stage(a, 'Prod')]) {
    const clusters = new Stack(scope, 'Clusters');
    const cluster = new eks.CfnCluster(clusters, 'Cluster', {
      roleArn: 'arn:aws:iam::123456789012:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true },
    });
    const sgs = new Stack(scope, 'Sgs');
    const sg = new ec2.CfnSecurityGroup(sgs, 'NodeSg', { groupDescription: 'nodes', vpcId: 'vpc-1' });
    new ec2.CfnSecurityGroupIngress(sgs, 'NodePorts', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 30000, toPort: 32767, cidrIp: '0.0.0.0/0' });
    const nested = new NestedStack(new Stack(scope, 'Nodes'), 'Inner');
    const lt = new ec2.CfnLaunchTemplate(nested, 'Lt', { launchTemplateData: { securityGroupIds: [sg.attrGroupId] } });
    new eks.CfnNodegroup(nested, 'Nodes', {
      clusterName: cluster.ref,
      nodeRole: 'arn:aws:iam::123456789012:role/nodes',
      subnets: ['subnet-1'],
      launchTemplate: { id: lt.ref, version: lt.attrLatestVersionNumber },
    });
    new CfnResource(nested, 'Topic', { type: 'AWS::SNS::Topic' });
  }
  Aspects.of(a).add(new OpenKubelet());
  return a;
}

describe('the pack as a validation plugin', () => {
  test('reads the templates synthesis wrote and finds what validateScope finds, in stages and nested stacks', () => {
    const a = app();
    const assembly = a.synth();
    const templatePaths = assembly.stacksRecursively.map((s) => s.templateFullPath);
    const scoped = lines(new EksNetworkingChecks().validateScope(a));
    const plugin = lines(new EksNetworkingChecks().validate({ templatePaths, appConstruct: a } as any));
    expect(plugin).toEqual(scoped);
    expect(scoped.map((l) => l.split(':')[0])).toEqual(expect.arrayContaining([
      'EksNetworking-KUB1 Sgs/NodeSg',
      'EksNetworking-LB1 Sgs/NodePorts', 'EksNetworking-IMDS1 Nodes/Inner/Lt', 'EksNetworking-IMDS1 Prod/Nodes/Inner/Lt',
    ]));
  });

  test('stacks whose templates were not given are rendered', () => {
    const a = app();
    const assembly = a.synth();
    // A plugin of the Prod stage is given that stage's templates only.
    const prodOnly = assembly.stacksRecursively.map((s) => s.templateFullPath).filter((p) => p.includes('assembly-Prod'));
    expect(prodOnly.length).toBeGreaterThan(0);
    expect(lines(new EksNetworkingChecks().validate({ templatePaths: prodOnly, appConstruct: a } as any)))
      .toEqual(lines(new EksNetworkingChecks().validateScope(a)));
  });

  test('registered with Validations, synthesis reports its findings', () => {
    const a = app();
    Validations.of(a).addPlugins(new EksNetworkingChecks());
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const exitCode = process.exitCode;
    let assembly;
    try {
      assembly = a.synth();
      // aws-cdk-lib marks the process failed on errors: this test's expectation, not jest's result.
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      error.mockRestore();
    }
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const reported = JSON.stringify(report);
    for (const line of lines(new EksNetworkingChecks().validateScope(a))) {
      const [rule, where] = line.split(':')[0].split(' ');
      expect(reported).toContain(rule);
      expect(reported).toContain(where);
    }
  });
});
