import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlbIngressBackendRules, BackendTargetType, HardenedNodeSecurityGroup } from '../../../lib';
import { AppModel } from '../../../lib/template/model';
import { clusterFixture } from '../../util';
import { cliRules, compliantTemplate, includeFindings, ingress, manifest, manifestWithRefs, NODE_SG, packFindings, securityGroupPolicy, TestFinding } from '../util';

function tgb(findings: TestFinding[]): TestFinding[] {
  return findings.filter((x) => x.rule.startsWith('TGB'));
}

/** A TargetGroupBinding object in namespace shop, binding Service api port 80. */
function binding(targetGroupARN: unknown, spec: object = {}): object {
  return {
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { serviceRef: { name: 'api', port: 80 }, targetGroupARN, targetType: 'ip', ...spec },
  };
}

/** A cluster with nodes on a HardenedNodeSecurityGroup, and an ALB on its own security group forwarding to an ip target group on 8080. */
function albFixture(targetType = elbv2.TargetType.IP) {
  const f = clusterFixture();
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
  const albSg = new ec2.SecurityGroup(f.stack, 'AlbSg', { vpc: f.vpc, allowAllOutbound: false });
  const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, securityGroup: albSg });
  const targetGroup = new elbv2.ApplicationTargetGroup(f.stack, 'Api', { vpc: f.vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType });
  alb.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
  return { ...f, nodes, albSg, alb, targetGroup };
}

/**
 * The compliant raw template with an ALB on AlbSg, a listener forwarding to ip target group Api
 * (port 80), and a TargetGroupBinding of it (the ARN a reference, as CDK writes it).
 */
function template(spec: object = {}, refs: unknown[] = []): any {
  const t = compliantTemplate();
  t.Resources.AlbSg = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'alb', VpcId: 'vpc-1' } };
  t.Resources.Alb = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['subnet-1', 'subnet-2'], SecurityGroups: [{ 'Fn::GetAtt': ['AlbSg', 'GroupId'] }] } };
  t.Resources.Api = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'ip', VpcId: 'vpc-1' } };
  t.Resources.Http = {
    Type: 'AWS::ElasticLoadBalancingV2::Listener',
    Properties: { LoadBalancerArn: { Ref: 'Alb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Api' } }] },
  };
  t.Resources.Binding = manifestWithRefs([binding('@@0', spec)], [{ Ref: 'Api' }, ...refs]);
  return t;
}

const FROM_ALB = { SourceSecurityGroupId: { 'Fn::GetAtt': ['AlbSg', 'GroupId'] } };

/** The TGB findings of a raw template, through CfnInclude, after checking that the command-line checker agrees. */
function rawTgb(t: object): string[] {
  const pack = tgb(includeFindings(t)).map((x) => x.rule).sort();
  expect(cliRules(t).filter((r) => r.startsWith('TGB'))).toEqual(pack);
  return pack;
}

describe('TGB1 targetGroupBindingOpenToInternet', () => {
  test('CDK: addTargetGroupBinding writes no networking: nothing', () => {
    const f = albFixture();
    const rules = new AlbIngressBackendRules(f.stack, 'Rules', {
      loadBalancerSecurityGroup: f.albSg, cluster: f.cluster, targets: f.nodes, targetType: BackendTargetType.EKS_IP, ports: [ec2.Port.tcp(8080)],
    });
    rules.addTargetGroupBinding('Binding', { targetGroup: f.targetGroup, serviceName: 'api', servicePort: 80, namespace: 'shop' });
    expect(tgb(packFindings(f.app))).toEqual([]);
  });

  test('CDK: a binding whose networking lets 0.0.0.0/0 in is an error naming it and the ports', () => {
    const f = albFixture();
    f.cluster.addManifest('Open', binding(f.targetGroup.targetGroupArn, {
      networking: { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
    }));
    // The controller writes the rule from 0.0.0.0/0 itself: a path, so no TGB2.
    expect(tgb(packFindings(f.app))).toEqual([{
      rule: 'TGB1',
      severity: 'error',
      path: 'Test/Cluster/manifest-Open/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-KubernetesResource Clustermanifest\w+ has TargetGroupBinding shop\/api whose spec\.networking lets 0\.0\.0\.0\/0 in on TCP 8080, and the AWS Load Balancer Controller writes that rule on its targets' security group; remove spec\.networking .*\(AlbIngressBackendRules\.addTargetGroupBinding\)\.$/),
    }]);
  });

  test('raw and CfnInclude: ::/0 with ports absent (all TCP) is TGB1; a VPC CIDR, a CIDR given by a reference, or a security group peer is not', () => {
    const open = template({ networking: { ingress: [{ from: [{ securityGroup: { groupID: 'sg-0aaaaaaaaaaaaaaaa' } }, { ipBlock: { cidr: '::/0' } }] }] } });
    expect(rawTgb(open)).toEqual(['TGB1']);
    expect(includeFindings(open)[0].message).toContain('TargetGroupBinding shop/api whose spec.networking lets ::/0 in on all TCP ports');
    expect(rawTgb(template({ networking: { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }] } }))).toEqual([]);
    const byParameter = template({ networking: { ingress: [{ from: [{ ipBlock: { cidr: '@@1' } }] }] } }, [{ Ref: 'Cidr' }]);
    byParameter.Parameters = { Cidr: { Type: 'String', Default: '0.0.0.0/0' } };
    expect(rawTgb(byParameter)).toEqual([]);
    expect(rawTgb(template({ networking: { ingress: [{ from: [{ securityGroup: { groupID: '@@1' } }] }] } }, [{ 'Fn::GetAtt': ['AlbSg', 'GroupId'] }]))).toEqual([]);
  });
});

describe('TGB2 targetGroupBindingUnreachable', () => {
  test('CDK: addTargetGroupBinding with the rule from the load balancer to the nodes on the container port: nothing', () => {
    const f = albFixture();
    const rules = new AlbIngressBackendRules(f.stack, 'Rules', {
      loadBalancerSecurityGroup: f.albSg, cluster: f.cluster, targets: f.nodes, targetType: BackendTargetType.EKS_IP, ports: [ec2.Port.tcp(8080)],
    });
    rules.addTargetGroupBinding('Binding', { targetGroup: f.targetGroup, serviceName: 'api', servicePort: 80, namespace: 'shop' });
    expect(tgb(packFindings(f.app))).toEqual([]);
  });

  test('CDK: a raw binding on a target group of an ALB whose security group has no rule to the nodes is an error naming the targets\' groups', () => {
    const f = albFixture();
    f.cluster.addManifest('Binding', binding(f.targetGroup.targetGroupArn));
    expect(tgb(packFindings(f.app))).toEqual([{
      rule: 'TGB2',
      severity: 'error',
      path: 'Test/Cluster/manifest-Binding/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-KubernetesResource Clustermanifest\w+ has TargetGroupBinding shop\/api \(ip targets\) on target group Api\w+, but no security group of its targets \(Nodes\w+, the cluster security group of Cluster\w+\) lets load balancer Alb\w+ \(AlbSg\w+\) in on any TCP port; add that ingress rule on the targets' security group \(AlbIngressBackendRules\.addTargetGroupBinding\), or every target is unhealthy\.$/),
    }]);
  });

  test('CDK: instance targets need a NodePort rule; a rule on the container port alone is not one', () => {
    const f = albFixture(elbv2.TargetType.INSTANCE);
    f.nodes.connections.allowFrom(f.albSg, ec2.Port.tcp(8080));
    // No spec.targetType: the target group's TargetType (instance) holds.
    f.cluster.addManifest('Binding', binding(f.targetGroup.targetGroupArn, { targetType: undefined }));
    expect(tgb(packFindings(f.app)).map((x) => x.message)).toEqual([expect.stringContaining('(instance targets) on target group Api')]);
    const g = albFixture(elbv2.TargetType.INSTANCE);
    g.nodes.connections.allowFrom(g.albSg, ec2.Port.tcpRange(30000, 32767));
    g.cluster.addManifest('Binding', binding(g.targetGroup.targetGroupArn, { targetType: 'instance' }));
    expect(tgb(packFindings(g.app))).toEqual([]);
  });

  test('CDK: networking naming the ALB security group is a path (the controller writes the rule)', () => {
    const f = albFixture();
    f.cluster.addManifest('Binding', binding(f.targetGroup.targetGroupArn, {
      networking: { ingress: [{ from: [{ securityGroup: { groupID: f.albSg.securityGroupId } }], ports: [{ port: 8080 }] }] },
    }));
    expect(tgb(packFindings(f.app))).toEqual([]);
  });

  test('raw and CfnInclude: no rule from AlbSg is TGB2; a rule on the nodes, or on the group of a SecurityGroupPolicy of the namespace, is a path', () => {
    expect(rawTgb(template())).toEqual(['TGB2']);
    const onNodes = template();
    onNodes.Resources.FromAlb = ingress(NODE_SG, 'tcp', 8080, 8080, FROM_ALB);
    expect(rawTgb(onNodes)).toEqual([]);

    const onPods = template();
    onPods.Resources.PodSg = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'pods', VpcId: 'vpc-1' } };
    onPods.Resources.FromAlb = ingress({ 'Fn::GetAtt': ['PodSg', 'GroupId'] }, 'tcp', 8080, 8080, FROM_ALB);
    const policy = securityGroupPolicy({ podSelector: { matchLabels: { app: 'api' } }, securityGroups: { groupIds: ['@@0'] } }, 'shop');
    onPods.Resources.Policy = manifestWithRefs([policy], [{ 'Fn::GetAtt': ['PodSg', 'GroupId'] }]);
    expect(rawTgb(onPods)).toEqual([]);
    // The same policy in another namespace does not give the binding's pods that group.
    onPods.Resources.Policy = manifestWithRefs([securityGroupPolicy({ podSelector: {}, securityGroups: { groupIds: ['@@0'] } }, 'other')], [{ 'Fn::GetAtt': ['PodSg', 'GroupId'] }]);
    expect(rawTgb(onPods)).toEqual(['TGB2']);
  });

  test('raw: the port is the Service\'s targetPort when the app holds the Service; a CIDR source may hold the ALB\'s addresses', () => {
    const t = template();
    t.Resources.Service = manifest([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } }]);
    t.Resources.FromAlb = ingress(NODE_SG, 'tcp', 80, 80, FROM_ALB);
    expect(rawTgb(t)).toEqual(['TGB2']);
    expect(cliRules(t)).toEqual(['TGB2']);
    t.Resources.FromAlb = ingress(NODE_SG, 'tcp', 8080, 8080, FROM_ALB);
    expect(rawTgb(t)).toEqual([]);
    t.Resources.FromAlb = ingress(NODE_SG, 'tcp', 8080, 8080, { CidrIp: '10.0.0.0/16' });
    expect(rawTgb(t)).toEqual([]);
    // Another group of the app, or a literal id, is not the ALB's.
    t.Resources.FromAlb = ingress(NODE_SG, 'tcp', 8080, 8080, { SourceSecurityGroupId: 'sg-0bbbbbbbbbbbbbbbb' });
    expect(rawTgb(t)).toEqual(['TGB2']);
  });

  test('raw: a listener rule\'s ForwardConfig leads to the load balancer too', () => {
    const t = template();
    t.Resources.Http.Properties.DefaultActions = [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }];
    t.Resources.ApiRule = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: { ListenerArn: { Ref: 'Http' }, Priority: 1, Conditions: [], Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'Api' }, Weight: 1 }] } }] },
    };
    expect(rawTgb(t)).toEqual(['TGB2']);
    const model = AppModel.fromTemplate(t, 't');
    expect(model.targetGroups.get('res:t/Api')).toEqual(expect.objectContaining({
      targetType: 'ip',
      forwarders: [expect.objectContaining({ by: expect.objectContaining({ logicalId: 'ApiRule' }), loadBalancer: expect.objectContaining({ logicalId: 'Alb', securityGroups: ['res:t/AlbSg'] }) })],
    }));
  });

  test('raw: what cannot be resolved is not a finding', () => {
    const literalArn = compliantTemplate();
    literalArn.Resources.Binding = manifest([binding('arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/0123456789abcdef')]);
    expect(rawTgb(literalArn)).toEqual([]);

    const noSgs = template();
    delete noSgs.Resources.Alb.Properties.SecurityGroups;
    expect(rawTgb(noSgs)).toEqual([]);

    const lbOutside = template();
    lbOutside.Resources.Http.Properties.LoadBalancerArn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/0123456789abcdef';
    expect(rawTgb(lbOutside)).toEqual([]);

    const noListener = template();
    delete noListener.Resources.Http;
    expect(rawTgb(noListener)).toEqual([]);

    const clusterOutside = template();
    clusterOutside.Resources.Binding = manifestWithRefs([binding('@@0')], [{ Ref: 'Api' }], 'other-cluster');
    expect(rawTgb(clusterOutside)).toEqual([]);

    const policyOutside = template();
    policyOutside.Resources.Policy = manifest([securityGroupPolicy({ podSelector: {}, securityGroups: { groupIds: ['sg-0ccccccccccccccc0'] } }, 'shop')]);
    expect(rawTgb(policyOutside)).toEqual([]);
  });
});
