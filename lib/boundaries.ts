/**
 * The ports and port ranges of an EKS cluster's network boundaries, as documented by EKS and
 * Kubernetes. This is the one place in the library where these numbers are written: the
 * constructs and the checks both read them from here.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
 * @see https://kubernetes.io/docs/reference/networking/ports-and-protocols/
 */
export class Boundaries {
  /**
   * The kubelet's HTTPS API (TCP). The control plane uses it for `kubectl logs`, `exec`,
   * `attach` and `port-forward`; metrics-server scrapes it from the nodes. Open it to the
   * cluster security group only.
   */
  public static readonly KUBELET_PORT = 10250;

  /**
   * The kubelet's unauthenticated read-only API (TCP). Never open it in a security group.
   */
  public static readonly KUBELET_READ_ONLY_PORT = 10255;

  /**
   * The Kubernetes API server's HTTPS port (TCP): nodes reach a private endpoint on it through
   * the cluster security group.
   */
  public static readonly KUBERNETES_API_PORT = 443;

  /** First port of the Kubernetes NodePort range (TCP), used by instance targets of load balancers. */
  public static readonly NODEPORT_RANGE_START = 30000;

  /** Last port of the Kubernetes NodePort range (TCP). */
  public static readonly NODEPORT_RANGE_END = 32767;

  /**
   * First port of the ECS dynamic host port range (TCP), used by containers in bridge mode with
   * `hostPort: 0`.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html
   */
  public static readonly ECS_DYNAMIC_PORT_RANGE_START = 32768;

  /** Last port of the ECS dynamic host port range (TCP). */
  public static readonly ECS_DYNAMIC_PORT_RANGE_END = 65535;

  /** CoreDNS (TCP and UDP): every pod resolves names through it. */
  public static readonly DNS_PORT = 53;

  /**
   * First port of the ephemeral range that EKS documents between nodes (TCP and UDP):
   * the source ports of replies, including those of CoreDNS.
   */
  public static readonly NODE_EPHEMERAL_RANGE_START = 1025;

  /** Last port of the ephemeral range between nodes. */
  public static readonly NODE_EPHEMERAL_RANGE_END = 65535;

  /**
   * metrics-server's secure port when it runs in the cluster's pod network (TCP): the API
   * server's aggregation layer calls it.
   */
  public static readonly METRICS_SERVER_WEBHOOK_PORT = 4443;

  /**
   * Port of admission webhooks that listen like an API server (TCP), for example
   * Gatekeeper's and Prometheus Adapter's.
   */
  public static readonly API_SERVER_STYLE_WEBHOOK_PORT = 6443;

  /**
   * Port of webhooks such as the Karpenter webhook and the Kyverno admission controller (TCP).
   */
  public static readonly ALTERNATE_HTTPS_WEBHOOK_PORT = 8443;

  /**
   * The default port of controller-runtime webhooks (TCP): the AWS Load Balancer Controller,
   * cert-manager's webhook and most operators built with kubebuilder.
   */
  public static readonly CONTROLLER_RUNTIME_WEBHOOK_PORT = 9443;

  /**
   * Port some controllers bind for webhooks and the API server calls back on (TCP); kept in the
   * webhook defaults after terraform-aws-eks.
   */
  public static readonly LEGACY_CONTROLLER_WEBHOOK_PORT = 10251;

  /**
   * The webhook ports the control plane needs on nodes with a dedicated security group, as
   * terraform-aws-eks opens them from the cluster security group: 4443, 6443, 8443, 9443, 10251.
   */
  public static readonly DEFAULT_WEBHOOK_PORTS: number[] = Object.freeze([
    Boundaries.METRICS_SERVER_WEBHOOK_PORT,
    Boundaries.API_SERVER_STYLE_WEBHOOK_PORT,
    Boundaries.ALTERNATE_HTTPS_WEBHOOK_PORT,
    Boundaries.CONTROLLER_RUNTIME_WEBHOOK_PORT,
    Boundaries.LEGACY_CONTROLLER_WEBHOOK_PORT,
  ]) as number[];

  /** The highest TCP or UDP port number. */
  public static readonly MAX_PORT = 65535;

  private constructor() {}
}
