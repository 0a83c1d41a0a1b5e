import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { packFindings, rulesOf } from './util';
import { stackInputs } from '../../lib/template/cdk';
import { AppModel } from '../../lib/template/model';

describe('aws-eks-v2 clusters (AWS::EKS::Cluster)', () => {
  test('a default Auto Mode cluster: public endpoint with no CIDRs is API2, built-in node pools are NG4, and Auto Mode and the Kubernetes version are read', () => {
    const app = new App();
    const stack = new Stack(app, 'V2');
    const cluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33 });
    app.synth();
    const model = AppModel.fromStacks(stackInputs(app));
    const id = model.resourceIn(stack.node.path, stack.getLogicalId(cluster.node.defaultChild as eks.CfnCluster))!.key;
    expect(model.clusters.get(id)).toEqual(expect.objectContaining({
      autoMode: true,
      variants: [expect.objectContaining({ endpointPublicAccess: true, version: '1.33', autoMode: true, nodePools: ['system', 'general-purpose'] })],
    }));
    expect(rulesOf(packFindings(app))).toEqual(['API2', 'NG4']);
  });

  test('a managed node group of an aws-eks-v2 cluster without a launch template is NG1', () => {
    const app = new App();
    const stack = new Stack(app, 'V2');
    const cluster = new eksv2.Cluster(stack, 'Cluster', {
      version: eksv2.KubernetesVersion.V1_33,
      defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess: eksv2.EndpointAccess.PRIVATE,
    });
    cluster.addNodegroupCapacity('Ng', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    expect(rulesOf(packFindings(app))).toEqual(['NG1']);
  });
});
