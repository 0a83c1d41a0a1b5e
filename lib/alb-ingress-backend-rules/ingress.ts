import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * How an Ingress path matches request paths.
 */
export enum IngressPathType {
  /** Matches the path and everything below it, element by element. */
  PREFIX = 'Prefix',
  /** Matches the path exactly. */
  EXACT = 'Exact',
  /** Left to the IngressClass: the AWS Load Balancer Controller treats it as a wildcard pattern. */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/**
 * A Service and port that an Ingress sends requests to.
 */
export interface AlbIngressBackend {
  /** The name of the Service, in the namespace of the Ingress. */
  readonly serviceName: string;

  /** The port number of the Service. */
  readonly servicePort: number;
}

/**
 * A path of an Ingress rule and the Service it sends requests to.
 */
export interface AlbIngressPath extends AlbIngressBackend {
  /**
   * The request path.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * How the path matches.
   *
   * @default IngressPathType.PREFIX
   */
  readonly pathType?: IngressPathType;
}

/**
 * A rule of an Ingress: a host and its paths.
 */
export interface AlbIngressRule {
  /**
   * The host name the rule applies to.
   *
   * @default - every host
   */
  readonly host?: string;

  /** The paths of the rule, at least one. */
  readonly paths: AlbIngressPath[];
}

/**
 * An Ingress for the AWS Load Balancer Controller.
 */
export interface AlbIngressOptions {
  /** The name of the Ingress. */
  readonly name: string;

  /**
   * The namespace of the Ingress.
   *
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * The rules of the Ingress.
   *
   * @default - none; then defaultBackend is required
   */
  readonly rules?: AlbIngressRule[];

  /**
   * Where requests that match no rule go.
   *
   * @default - none; then at least one rule is required
   */
  readonly defaultBackend?: AlbIngressBackend;

  /**
   * Annotations of the Ingress (for example `alb.ingress.kubernetes.io/scheme` or
   * `alb.ingress.kubernetes.io/certificate-arn`). They are kept; the security group, backend
   * rules and target type annotations are set by AlbIngressBackendRules, and a different value
   * here fails at synth time.
   *
   * @default - only the annotations of AlbIngressBackendRules
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Labels of the Ingress.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * The IngressClass, which must belong to the AWS Load Balancer Controller.
   *
   * @default 'alb'
   */
  readonly ingressClassName?: string;
}

/**
 * A target group this app owns, bound to a Kubernetes Service with the AWS Load Balancer
 * Controller's TargetGroupBinding.
 */
export interface TargetGroupBindingOptions {
  /**
   * The target group, created in CDK with no targets of its own (the controller registers them),
   * and with the target type of the AlbIngressBackendRules: `elbv2.TargetType.INSTANCE` for
   * `EKS_INSTANCE`, `elbv2.TargetType.IP` for `EKS_IP`.
   */
  readonly targetGroup: elbv2.IApplicationTargetGroup;

  /** The name of the Service whose endpoints (ip) or NodePort (instance) become the targets. */
  readonly serviceName: string;

  /** The Service's port. */
  readonly servicePort: number;

  /**
   * The namespace of the Service (and of the TargetGroupBinding).
   *
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * The name of the TargetGroupBinding object.
   *
   * @default - the Service's name
   */
  readonly name?: string;
}
