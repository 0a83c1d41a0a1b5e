import { Token } from 'aws-cdk-lib';
import { AlbIngressBackend, AlbIngressOptions, IngressPathType } from './ingress';
import { validateObjectName } from './validate';
import { Boundaries } from '../boundaries';
import { INGRESS_API_VERSION } from '../conventions';
import { problem, Problem } from '../private/errors';
import { describeValue } from '../private/values';

/** Every problem with an Ingress's options (tokens are not checked). */
export function validateIngressOptions(options: AlbIngressOptions, namespace: string): Problem[] {
  const problems = validateObjectName(options.name, namespace);
  const rules = options.rules ?? [];
  if (rules.length === 0 && options.defaultBackend === undefined) {
    problems.push(problem('ingressWithoutRules', 'rules: none, and no defaultBackend; pass at least one rule or a defaultBackend'));
  }
  const backends: AlbIngressBackend[] = options.defaultBackend ? [options.defaultBackend] : [];
  rules.forEach((rule, i) => {
    if (rule.paths.length === 0) problems.push(problem('ingressRuleWithoutPaths', `rules[${i}].paths: empty; give each rule at least one path`));
    for (const p of rule.paths) {
      backends.push(p);
      const path = p.path ?? '/';
      const absolute = (p.pathType ?? IngressPathType.PREFIX) !== IngressPathType.IMPLEMENTATION_SPECIFIC;
      if (absolute && !Token.isUnresolved(path) && !path.startsWith('/')) {
        problems.push(problem('ingressPathNotAbsolute', `rules[${i}].paths: '${path}' does not start with '/'; Prefix and Exact paths are absolute`));
      }
    }
  });
  for (const b of backends) {
    if (!Token.isUnresolved(b.servicePort) && (!Number.isInteger(b.servicePort) || b.servicePort < 1 || b.servicePort > Boundaries.MAX_PORT)) {
      problems.push(problem('servicePortInvalid', `servicePort: ${b.servicePort} of Service ${describeValue(b.serviceName)} is not a port; use 1 to ${Boundaries.MAX_PORT}`));
    }
  }
  return problems;
}

/** The Ingress manifest (networking.k8s.io/v1). */
export function ingressManifest(
  options: AlbIngressOptions,
  namespace: string,
  annotations: { [key: string]: string },
  ingressClassName: string,
): { [key: string]: unknown } {
  const backend = (b: AlbIngressBackend) => ({ service: { name: b.serviceName, port: { number: b.servicePort } } });
  return {
    apiVersion: INGRESS_API_VERSION,
    kind: 'Ingress',
    metadata: {
      name: options.name,
      namespace,
      annotations,
      ...(options.labels ? { labels: options.labels } : {}),
    },
    spec: {
      ingressClassName,
      ...(options.defaultBackend ? { defaultBackend: backend(options.defaultBackend) } : {}),
      ...(options.rules?.length ? {
        rules: options.rules.map((rule) => ({
          ...(rule.host !== undefined ? { host: rule.host } : {}),
          http: {
            paths: rule.paths.map((p) => ({ path: p.path ?? '/', pathType: p.pathType ?? IngressPathType.PREFIX, backend: backend(p) })),
          },
        })),
      } : {}),
    },
  };
}
