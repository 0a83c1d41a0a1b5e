import { exampleApp } from './example-app';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { PaymentsPodSecurityGroupsStack } from '../../examples/payments-pod-security-groups';
import { packFindings } from '../nag/util';

/**
 * The payments example with a Deployment of the payments API, whose pods its PodSecurityGroupPolicy
 * selects (namespace payments, app.kubernetes.io/name: payments-api). The example itself declares
 * no workload (the application is deployed apart from the platform), so the test adds one.
 */
function paymentsWithDeployment(terminationGracePeriodSeconds: number) {
  const app = exampleApp();
  const stack = new PaymentsPodSecurityGroupsStack(app, 'PaymentsPodSecurityGroups', { env: EXAMPLE_ENV });
  const labels = { 'app.kubernetes.io/name': 'payments-api' };
  stack.cluster.addManifest('PaymentsApi', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'payments-api', namespace: 'payments' },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds,
          containers: [{ name: 'api', image: 'public.ecr.aws/docker/library/nginx:stable', ports: [{ containerPort: 8080 }] }],
        },
      },
    },
  });
  return packFindings(app);
}

describe('example: PaymentsPodSecurityGroupsStack with the payments Deployment', () => {
  test('terminationGracePeriodSeconds: 0 on the payments pods is PSG10, an error on the Deployment\'s manifest', () => {
    expect(paymentsWithDeployment(0)).toEqual([{
      rule: 'PSG10',
      severity: 'error',
      path: 'PaymentsPodSecurityGroups/Cluster/manifest-PaymentsApi/Resource/Default',
      message: expect.stringContaining('sets terminationGracePeriodSeconds: 0 on pods that a SecurityGroupPolicy gives their own security groups: Deployment payments/payments-api (selected by SecurityGroupPolicy payments/payments-api)'),
    }]);
  });

  test('with a grace period of 30 seconds the example stays clean', () => {
    expect(paymentsWithDeployment(30)).toEqual([]);
  });
});
