import { CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { AlbIngressBackendRules, BackendTargetType, HardenedNodeSecurityGroup, IngressPathType } from '../../lib';
import { kubernetesErrors } from '../fixtures';
import { clusterFixture, coversTcpPort, ingressRules, kubernetesObjects, sgRef } from '../util';

const validateIngress = (value: unknown) => kubernetesErrors(Ingress, value);

function eksFixture() {
  const f = clusterFixture();
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  return { ...f, nodes };
}

function manifests(stack: Stack): any[] {
  return kubernetesObjects(Template.fromStack(stack), 'Ingress');
}

describe('AlbIngressBackendRules', () => {
  describe('EKS instance targets', () => {
    test('creates an ALB SG and opens only the NodePort range on the node SG from it', () => {
      const f = eksFixture();
      new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes });
      const template = Template.fromStack(f.stack);
      const alb = sgRef(template, 'AlbLoadBalancerSecurityGroup');
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: sgRef(template, 'Nodes'), SourceSecurityGroupId: alb, IpProtocol: 'tcp', FromPort: 30000, ToPort: 32767,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: alb, DestinationSecurityGroupId: sgRef(template, 'Nodes'), FromPort: 30000, ToPort: 32767,
      });
      // NodePorts are never opened to a CIDR.
      expect(ingressRules(template).filter((r) => coversTcpPort(r, 31000) && r.sourceSecurityGroupId === undefined)).toEqual([]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('a narrower range or single NodePorts can be given; a port outside the range fails', () => {
      const f = eksFixture();
      new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, ports: [ec2.Port.tcp(30080), ec2.Port.tcpRange(31000, 31010)] });
      const template = Template.fromStack(f.stack);
      expect(Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: sgRef(template, 'Nodes'), SourceSecurityGroupId: sgRef(template, 'AlbLoadBalancerSecurityGroup') } }))
        .map((r: any) => `${r.Properties.FromPort}-${r.Properties.ToPort}`).sort()).toEqual(['30080-30080', '31000-31010']);
      expect(() => new AlbIngressBackendRules(f.stack, 'Bad', { vpc: f.vpc, targets: f.nodes, ports: [ec2.Port.tcp(8080)] }))
        .toThrow(/^Test\/Bad: ports: 8080 is outside the NodePort range \(30000-32767\); pass ports inside it \[hardened-eks-networking:portOutsideRange\]$/);
    });

    test.each([
      ['all traffic', ec2.Port.allTraffic(), /ports: ALL TRAFFIC is all traffic; a load balancer needs only TCP ports/],
      ['UDP', ec2.Port.udp(31000), /ports: UDP 31000 is not TCP/],
    ])('%s fails at synth time', (_name, port, message) => {
      const f = eksFixture();
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, ports: [port] })).toThrow(message);
    });

    test('uses a given ALB SG, and names it with any additional SGs in the annotations', () => {
      const f = eksFixture();
      const alb = new ec2.SecurityGroup(f.stack, 'MyAlb', { vpc: f.vpc });
      const waf = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'Waf', 'sg-0aaaaaaaaaaaaaaaa');
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { targets: f.nodes, loadBalancerSecurityGroup: alb, additionalLoadBalancerSecurityGroups: [waf] });
      expect(f.stack.resolve(rules.ingressAnnotations())).toEqual({
        'alb.ingress.kubernetes.io/security-groups': { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^MyAlb/), 'GroupId'] }, ',sg-0aaaaaaaaaaaaaaaa']] },
        'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
        'alb.ingress.kubernetes.io/target-type': 'instance',
      });
      Template.fromStack(f.stack).resourceCountIs('AWS::EC2::SecurityGroup', 3);
    });

    test('addIngress applies the Ingress with the annotations merged in and the others kept; it validates against the Ingress schema', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      rules.addIngress('Web', {
        name: 'web',
        namespace: 'shop',
        annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/target-type': 'instance' },
        labels: { app: 'web' },
        rules: [{ host: 'shop.example.com', paths: [{ path: '/', serviceName: 'web', servicePort: 80 }, { path: '/api', pathType: IngressPathType.EXACT, serviceName: 'api', servicePort: 8080 }] }],
      });
      const [ingress] = manifests(f.stack);
      expect(validateIngress(ingress)).toEqual([]);
      // The schema lets unknown fields through: the v1 shape of the rules is pinned here.
      expect(ingress.spec.rules).toEqual([{
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 8080 } } } },
          ],
        },
      }]);
      expect(ingress.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/security-groups': 'sg-0123456789abcdef0',
        'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
        'alb.ingress.kubernetes.io/target-type': 'instance',
      });
      expect(ingress.spec.ingressClassName).toBe('alb');
    });

    test('a default-backend Ingress also validates', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      rules.addIngress('Web', { name: 'web', defaultBackend: { serviceName: 'web', servicePort: 80 } });
      const [ingress] = manifests(f.stack);
      expect(validateIngress(ingress)).toEqual([]);
      expect(ingress.spec).toEqual({ ingressClassName: 'alb', defaultBackend: { service: { name: 'web', port: { number: 80 } } } });
      expect(ingress.metadata.namespace).toBe('default');
    });

    test('the Kubernetes Ingress schema rejects a malformed Ingress, so the validations above can fail; it lets unknown fields through', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      rules.addIngress('Web', { name: 'web', rules: [{ paths: [{ path: '/', serviceName: 'web', servicePort: 80 }] }] });
      const [ingress] = manifests(f.stack);
      const withPath = (path: object) => ({ ...ingress, spec: { ...ingress.spec, rules: [{ http: { paths: [path] } }] } });
      const backend = { service: { name: 'web', port: { number: 80 } } };
      expect(validateIngress(withPath({ path: '/', pathType: 'Prefix', backend }))).toEqual([]);
      expect(validateIngress(withPath({ path: '/', backend }))).toEqual([expect.stringMatching(/must have required property pathType/)]);
      expect(validateIngress(withPath({ path: '/', pathType: 'Glob', backend }))).toEqual([expect.stringMatching(/pathType must be equal to one of the allowed values/)]);
      expect(validateIngress(withPath({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: '80' } } } })))
        .toEqual([expect.stringMatching(/port\/number must be integer/)]);
      // A v1beta1 spec.backend passes: hence the shapes pinned in the tests above.
      expect(validateIngress({ ...ingress, spec: { ...ingress.spec, backend: {} } })).toEqual([]);
    });

    test('a conflicting annotation, a bad name and an empty Ingress are all reported at once', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      expect(() => rules.addIngress('Web', {
        name: 'Web_App',
        annotations: { 'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true' },
      })).toThrow(/^Test\/Alb: \d problems:\n  - addIngress\('Web'\): name: 'Web_App' is not a Kubernetes object name.*\n  - addIngress\('Web'\): rules: none, and no defaultBackend.*\n  - addIngress\('Web'\): annotations: 'alb.ingress.kubernetes.io\/manage-backend-security-group-rules' is 'true', but AlbIngressBackendRules sets this annotation itself \(to 'false'\)/);
    });

    test('two addIngress calls with the same name and namespace fail, naming both', () => {
      // GIVEN
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      rules.addIngress('Web', { name: 'web', namespace: 'shop', defaultBackend: { serviceName: 'web', servicePort: 80 } });
      // WHEN / THEN
      expect(() => rules.addIngress('Web2', { name: 'web', namespace: 'shop', defaultBackend: { serviceName: 'web2', servicePort: 80 } }))
        .toThrow(/^Test\/Alb: addIngress\('Web2'\): name: 'web' in namespace 'shop' is already the Ingress of addIngress\('Web'\) on Test\/Alb, and the second would overwrite the first in the cluster; give each Ingress its own name \[hardened-eks-networking:ingressDuplicate\]$/);
      // Another namespace is another object.
      rules.addIngress('Web3', { name: 'web', namespace: 'admin', defaultBackend: { serviceName: 'web', servicePort: 80 } });
      expect(manifests(f.stack)).toHaveLength(2);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('the same Ingress from two AlbIngressBackendRules on one cluster fails, naming both', () => {
      const f = eksFixture();
      const a = new AlbIngressBackendRules(f.stack, 'AlbA', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      const b = new AlbIngressBackendRules(f.stack, 'AlbB', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      a.addIngress('Web', { name: 'web', defaultBackend: { serviceName: 'web', servicePort: 80 } });
      expect(() => b.addIngress('Web', { name: 'web', namespace: 'default', defaultBackend: { serviceName: 'web', servicePort: 80 } }))
        .toThrow(/^Test\/AlbB: addIngress\('Web'\): name: 'web' in namespace 'default' is already the Ingress of addIngress\('Web'\) on Test\/AlbA/);
    });

    test('an annotation that conflicts with a token value is described as a token, never printed raw', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
      expect(() => rules.addIngress('Web', {
        name: 'web',
        annotations: { 'alb.ingress.kubernetes.io/security-groups': 'sg-0ddddddddddddddd' },
        defaultBackend: { serviceName: 'web', servicePort: 80 },
      })).toThrow(/annotations: 'alb.ingress.kubernetes.io\/security-groups' is 'sg-0ddddddddddddddd', but AlbIngressBackendRules sets this annotation itself \(to a token\) to own the load balancer to target rules; remove it from annotations \[hardened-eks-networking:annotationOverridden\]$/);
    });

    test('addIngress without a cluster fails with the fix', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes });
      expect(() => rules.addIngress('Web', { name: 'web', defaultBackend: { serviceName: 'web', servicePort: 80 } }))
        .toThrow(/addIngress\('Web'\): cluster: not set, so addIngress\(\) has no cluster to apply the Ingress to; pass cluster/);
    });
  });

  describe('EKS ip targets', () => {
    test('opens the container ports on the pods SG and no NodePort rule', () => {
      const f = eksFixture();
      const pods = new ec2.SecurityGroup(f.stack, 'Pods', { vpc: f.vpc });
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: pods, targetType: BackendTargetType.EKS_IP, ports: [ec2.Port.tcp(8080)] });
      const template = Template.fromStack(f.stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: sgRef(template, 'Pods'), SourceSecurityGroupId: sgRef(template, 'AlbLoadBalancerSecurityGroup'), FromPort: 8080, ToPort: 8080,
      });
      expect(ingressRules(template).filter((r) => coversTcpPort(r, 30000) && r.ipProtocol !== '-1')).toEqual([]);
      expect(rules.ingressAnnotations()['alb.ingress.kubernetes.io/target-type']).toBe('ip');
    });

    test('ip targets need their container ports', () => {
      const f = eksFixture();
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, targetType: BackendTargetType.EKS_IP }))
        .toThrow(/ports: none given, but ip targets are reached on their container ports/);
    });
  });

  describe('validation', () => {
    test('without vpc or a load balancer SG it fails', () => {
      const f = eksFixture();
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { targets: f.nodes })).toThrow(/vpc: required to create the load balancer security group/);
    });

    test('an imported target SG that drops rules (mutable: false) fails closed', () => {
      const f = eksFixture();
      const frozen = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'Frozen', 'sg-0bbbbbbbbbbbbbbbb', { mutable: false });
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: frozen }))
        .toThrow(/targets: security group 'Test\/Frozen' did not take the ingress rule for 30000-32767 from the load balancer/);
    });

    test.each([
      ['EKS_INSTANCE', BackendTargetType.EKS_INSTANCE, /^Test\/Alb: ports: a token \(TCP, at index 0\); pass literal port numbers: a backend port must be checked to be TCP in 1-65535 and inside the NodePort range \(30000-32767\) before it is opened, and a token cannot be, so this security boundary fails closed \[hardened-eks-networking:portUnresolved\]$/],
      ['EKS_IP', BackendTargetType.EKS_IP, /^Test\/Alb: ports: a token \(TCP, at index 0\); pass literal port numbers: a backend port must be checked to be TCP in 1-65535 before/],
    ])('a token port for %s fails at synth time: it cannot be checked, so the boundary fails closed', (_name, targetType, message) => {
      // GIVEN
      const f = eksFixture();
      const port = new CfnParameter(f.stack, 'Port', { type: 'Number' });
      // WHEN / THEN
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, targetType, ports: [ec2.Port.tcp(port.valueAsNumber)] }))
        .toThrow(message);
    });

    test('a token end of a port range fails too', () => {
      const f = eksFixture();
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', {
        vpc: f.vpc, targets: f.nodes, ports: [ec2.Port.tcp(30080), ec2.Port.tcpRange(31000, Lazy.number({ produce: () => 31010 }))],
      })).toThrow(/^Test\/Alb: ports: a token \(TCP, at index 1\)/);
    });

    test.each([
      ['EKS_INSTANCE', BackendTargetType.EKS_INSTANCE],
      ['ECS_DYNAMIC_PORTS', BackendTargetType.ECS_DYNAMIC_PORTS],
      ['EKS_IP', BackendTargetType.EKS_IP],
    ])('ports: [] for %s fails: an empty list is not the default ports', (_name, targetType) => {
      const f = eksFixture();
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, targetType, ports: [] }))
        .toThrow(/^Test\/Alb: ports: an empty list, which would open nothing; omit ports for the target type's default ports, or pass the ports the load balancer reaches the targets on \[hardened-eks-networking:portsEmpty\]$/);
    });

    test('an imported load balancer SG that drops egress (mutable: false, allowAllOutbound: false) fails closed', () => {
      const f = eksFixture();
      const frozen = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'FrozenLb', 'sg-0cccccccccccccccc', { mutable: false, allowAllOutbound: false });
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { targets: f.nodes, loadBalancerSecurityGroup: frozen }))
        .toThrow(/^Test\/Alb: loadBalancerSecurityGroup: security group 'Test\/FrozenLb' did not take the egress rule for 30000-32767 to the targets/);
    });

    test('watchTopic with neither watching nor alarms fails; with alarms on (the default) it is their topic', () => {
      const f = eksFixture();
      const topic = new sns.Topic(f.stack, 'Topic');
      expect(() => new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, watchTopic: topic, targetHealthAlarms: false }))
        .toThrow(/watchTopic: is set, but neither watchSecurityGroupChanges nor targetHealthAlarms is on.*\[hardened-eks-networking:watchTopicWithoutWatching\]$/);
      expect(new AlbIngressBackendRules(f.stack, 'Alb2', { vpc: f.vpc, targets: f.nodes, watchTopic: topic }).watchTopic).toBe(topic);
    });
  });

  describe('watching', () => {
    test('an EventBridge rule on the three CloudTrail calls against the target SG, to an encrypted topic', () => {
      const f = eksFixture();
      const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, watchSecurityGroupChanges: true });
      const template = Template.fromStack(f.stack);
      const nodeSg = sgRef(template, 'Nodes');
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.ec2'],
          'detail-type': ['AWS API Call via CloudTrail'],
          'detail': {
            eventSource: ['ec2.amazonaws.com'],
            eventName: ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress', 'ModifySecurityGroupRules'],
            $or: [
              { requestParameters: { groupId: [nodeSg] } },
              { requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: [nodeSg] } } },
            ],
          },
        },
        Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AlbWatchTopic') } })],
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      expect(rules.watchTopic).toBeDefined();
    });

    test('a given topic is used and nothing else is created', () => {
      const f = eksFixture();
      const topic = new sns.Topic(f.stack, 'Alerts');
      new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, watchSecurityGroupChanges: true, watchTopic: topic });
      const template = Template.fromStack(f.stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::KMS::Key', 0);
    });
  });
});
