import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EksNetworkingChecks } from '../lib';
import { AlbInstanceTargetsStack } from './alb-instance-targets';
import { AlbTargetGroupBindingStack } from './alb-target-group-binding';
import { EcsDynamicPortsStack } from './ecs-dynamic-ports';
import { EksV2AutoModeStack } from './eks-v2-auto-mode';
import { EksV2NodeGroupsStack } from './eks-v2-node-groups';
import { KubeletBoundaryStack } from './kubelet-boundary';
import { EXAMPLE_ENV } from './kubernetes-version';
import { PaymentsPodSecurityGroupsStack } from './payments-pod-security-groups';
import { PrivateClusterStack } from './private-cluster';

const app = new App();

new KubeletBoundaryStack(app, 'KubeletBoundary', { env: EXAMPLE_ENV });
new AlbInstanceTargetsStack(app, 'AlbInstanceTargets', { env: EXAMPLE_ENV });
new AlbTargetGroupBindingStack(app, 'AlbTargetGroupBinding', { env: EXAMPLE_ENV });
new EcsDynamicPortsStack(app, 'EcsDynamicPorts', { env: EXAMPLE_ENV });
new PaymentsPodSecurityGroupsStack(app, 'PaymentsPodSecurityGroups', { env: EXAMPLE_ENV });
new EksV2NodeGroupsStack(app, 'EksV2NodeGroups', { env: EXAMPLE_ENV });
new EksV2AutoModeStack(app, 'EksV2AutoMode', { env: EXAMPLE_ENV });
new PrivateClusterStack(app, 'PrivateCluster', { env: EXAMPLE_ENV });

Validations.of(app).addPlugins(new AwsSolutionsChecks(), new EksNetworkingChecks());
app.synth();
