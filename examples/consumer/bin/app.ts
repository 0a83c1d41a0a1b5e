import { App, Validations } from 'aws-cdk-lib';
import { EksNetworkingChecks } from 'hardened-eks-networking';
import { PlatformStack } from '../lib/platform-stack';

const app = new App();
new PlatformStack(app, 'Platform', { env: { account: '111122223333', region: 'eu-west-1' } });
// `cdk synth` fails on any EKS network boundary finding that is not acknowledged.
Validations.of(app).addPlugins(new EksNetworkingChecks());
