import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EksNetworkingChecks } from '../lib';
import { AlbInstanceTargetsStack } from './alb-instance-targets';
import { EcsDynamicPortsStack } from './ecs-dynamic-ports';
import { KubeletBoundaryStack } from './kubelet-boundary';
import { EXAMPLE_ENV } from './kubernetes-version';
import { PaymentsPodSecurityGroupsStack } from './payments-pod-security-groups';

const app = new App();

new KubeletBoundaryStack(app, 'KubeletBoundary', { env: EXAMPLE_ENV });
new AlbInstanceTargetsStack(app, 'AlbInstanceTargets', { env: EXAMPLE_ENV });
new EcsDynamicPortsStack(app, 'EcsDynamicPorts', { env: EXAMPLE_ENV });
new PaymentsPodSecurityGroupsStack(app, 'PaymentsPodSecurityGroups', { env: EXAMPLE_ENV });

Validations.of(app).addPlugins(new AwsSolutionsChecks(), new EksNetworkingChecks());
app.synth();
