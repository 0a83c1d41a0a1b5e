import { Token } from 'aws-cdk-lib';
import { problem, Problem } from './errors';
import { DNS_1123_LABEL, DNS_1123_LABEL_MAX_LENGTH, DNS_1123_SUBDOMAIN, DNS_1123_SUBDOMAIN_MAX_LENGTH } from '../conventions';

/** The problem when `name` is not a Kubernetes object name (a DNS-1123 subdomain); a token is not checked. */
export function validateKubernetesName(prop: string, name: string): Problem[] {
  if (Token.isUnresolved(name) || (name.length <= DNS_1123_SUBDOMAIN_MAX_LENGTH && DNS_1123_SUBDOMAIN.test(name))) return [];
  return [problem('objectNameInvalid', `${prop}: '${name}' is not a Kubernetes object name; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`)];
}

/** The problem when `namespace` is not a Kubernetes namespace name (a DNS-1123 label); a token is not checked. */
export function validateKubernetesNamespace(prop: string, namespace: string): Problem[] {
  if (Token.isUnresolved(namespace) || (namespace.length <= DNS_1123_LABEL_MAX_LENGTH && DNS_1123_LABEL.test(namespace))) return [];
  return [problem('namespaceInvalid', `${prop}: '${namespace}' is not a Kubernetes namespace name; use lower-case letters, digits and '-', at most 63 characters`)];
}
