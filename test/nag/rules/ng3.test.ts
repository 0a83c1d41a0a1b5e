import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../../../lib';
import { clusterFixture, restrictedNodes } from '../../util';
import { CLUSTER_SG, compliantTemplate, includeFindings, NODE_SG, packFindings, rulesOf } from '../util';

describe('NG3 severalClusterTaggedSecurityGroups', () => {
  test('CDK: a second SG tagged for the cluster on the nodes is an error', () => {
    const f = clusterFixture();
    const extra = new ec2.SecurityGroup(f.stack, 'Extra', { vpc: f.vpc });
    Tags.of(extra).add(`kubernetes.io/cluster/${f.cluster.clusterName}`, 'shared');
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    (nodes.launchTemplate as ec2.LaunchTemplate).addSecurityGroup(extra);
    new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
    nodes.addNodegroup('Workers');
    expect(packFindings(f.app).filter((x) => x.rule === 'NG3')).toEqual([
      expect.objectContaining({ severity: 'error', path: 'Test/Nodes/LaunchTemplate/Resource', message: expect.stringContaining('attaches 2 security groups tagged') }),
    ]);
  });

  test('CDK: the hardened node SG alone carries the tag', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    nodes.addNodegroup('Workers');
    expect(rulesOf(packFindings(f.app))).not.toContain('NG3');
  });

  test('raw template: the tagged node SG next to the cluster SG (tagged by EKS) is an error', () => {
    const template = compliantTemplate();
    template.Resources.NodeLaunchTemplate.Properties.LaunchTemplateData.SecurityGroupIds = [NODE_SG, CLUSTER_SG];
    expect(rulesOf(includeFindings(template))).toEqual(expect.arrayContaining(['NG2', 'NG3']));
    expect(rulesOf(includeFindings(compliantTemplate()))).not.toContain('NG3');
  });
});
