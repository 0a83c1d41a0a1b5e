/**
 * What the catalog requires of each public template in ../shared/real-world, checked alone. Judged by
 * hand against README's catalog ("Rule catalog", "Words of the catalog", "Decisions where the catalog
 * leaves room") and DESIGN.md's template model, not by what the code reports.
 *
 * Reading used throughout (the target behaviour of the template model):
 * - a parameter's Default is not its value; AllowedValues are branches; an unresolved parameter,
 *   import or nested-stack output is unknown, never absent;
 * - a node is a managed node group's or an Auto Scaling group's tagged kubernetes.io/cluster/<name>
 *   (literal, Fn::Sub or Fn::Join); ECS container instances are not nodes;
 * - a node security group is an SG of a node launch template or launch configuration, an SG tagged
 *   kubernetes.io/cluster/..., or the cluster SG (Fn::GetAtt [cluster, ClusterSecurityGroupId]);
 *   an additional control-plane SG of ResourcesVpcConfig.SecurityGroupIds is a control-plane SG,
 *   not a node SG, unless a node launch template also lists it.
 */
export interface ExpectedFinding {
  /** Catalog ID, e.g. 'IMDS1'. */
  readonly rule: string;
  /** Logical id of the resource the finding is reported on (the rule's dispatch resource). */
  readonly resource: string;
  /** Condition under which it holds, in words, when it holds only under some branch; omitted when it holds in every branch. */
  readonly when?: string;
  /** Why the catalog requires it: the value in the template and the catalog words that make it a finding. */
  readonly reason: string;
}

export interface TemplateExpectation {
  readonly file: string;
  readonly findings: readonly ExpectedFinding[];
  /** Notable non-findings: where a naive reader would report something but the catalog says no. */
  readonly notFindings?: readonly { readonly rule: string; readonly resource: string; readonly reason: string }[];
}

export const REAL_WORLD_EXPECTATIONS: readonly TemplateExpectation[] = [
  {
    file: 'w01-eksctl-cluster.json',
    findings: [
      {
        rule: 'API2',
        resource: 'ControlPlane',
        reason: 'ResourcesVpcConfig sets neither EndpointPublicAccess nor PublicAccessCidrs: the EKS defaults apply (public endpoint on, from 0.0.0.0/0), which is "public endpoint access with no public CIDRs".',
      },
    ],
    notFindings: [
      {
        rule: 'KUB2',
        resource: 'IngressInterNodeGroupSG',
        reason: 'Alone, ClusterSharedNodeSecurityGroup is no node SG (untagged, in no launch template here); its all-traffic rule is from itself anyway.',
      },
      {
        rule: 'API1',
        resource: 'ControlPlane',
        reason: 'No private endpoint access (EndpointPrivateAccess absent, EKS default false) and no node groups in the template.',
      },
    ],
  },
  {
    file: 'w02-eksctl-ng-selfmanaged.json',
    findings: [
      {
        rule: 'KUB2',
        resource: 'SG',
        reason: 'Inline rule TCP 1025-65535 covers 10255 into SG (a node SG: tagged kubernetes.io/cluster/test and in the node launch template) from the import eksctl-test-cluster::SecurityGroup, which alone cannot be resolved, so it is not shown to be a dedicated node SG of the cluster ("a source other than a dedicated node security group"; never a silent pass).',
      },
      {
        rule: 'KUB3',
        resource: 'SG',
        reason: 'The same TCP 1025-65535 rule covers 10250 from an imported SG that cannot be resolved ("unresolved security groups included").',
      },
    ],
    notFindings: [
      {
        rule: 'KUB4',
        resource: 'NodeGroup',
        reason: 'Its cluster (tag kubernetes.io/cluster/test) is not in this one-template app, so KUB4 does not check it (and the unresolved import rule would count as a path).',
      },
      {
        rule: 'NG3',
        resource: 'NodeGroupLaunchTemplate',
        reason: 'Only SG is known to be tagged kubernetes.io/cluster/...; the imported SharedNodeSecurityGroup cannot be resolved, so it is not counted as a second tagged SG.',
      },
      {
        rule: 'KUB1',
        resource: 'SG',
        reason: 'The 0.0.0.0/0 and ::/0 rules cover TCP 22 only, not 10250 or the NodePort range.',
      },
    ],
  },
  {
    file: 'w03-eksctl-ng-oldformat.json',
    findings: [
      {
        rule: 'IMDS1',
        resource: 'NodeGroupLaunchTemplate',
        reason: 'The launch template of node group NodeGroup (linked by LaunchTemplateName Fn::Sub ${AWS::StackName}; the ASG is tagged kubernetes.io/cluster/...) has no MetadataOptions, so no HttpTokens: required.',
      },
      {
        rule: 'KUB2',
        resource: 'IngressInterCluster',
        reason: 'TCP 1025-65535 into node SG SG (tagged, in the node launch template) covers 10255 from the unresolved import eksctl-wonderful-party-1565212003-cluster::SecurityGroup, not shown to be a dedicated node SG of the cluster.',
      },
      {
        rule: 'KUB3',
        resource: 'IngressInterCluster',
        reason: 'The same rule covers 10250 from an unresolved (imported) SG ("unresolved security groups included").',
      },
    ],
    notFindings: [
      {
        rule: 'IMDS2',
        resource: 'NodeGroupLaunchTemplate',
        reason: 'No hop limit is set; IMDS2 reports only a literal hop limit above 2.',
      },
      {
        rule: 'KUB4',
        resource: 'NodeGroup',
        reason: 'Its cluster (tag kubernetes.io/cluster/wonderful-party-1565212003) is not in the template.',
      },
    ],
  },
  {
    file: 'w04-eksctl-mng-al2.json',
    findings: [],
    notFindings: [
      {
        rule: 'NG1',
        resource: 'ManagedNodeGroup',
        reason: 'Its launch template sets SecurityGroupIds (one imported SG), so it has launch template security groups.',
      },
      {
        rule: 'NG2',
        resource: 'LaunchTemplate',
        reason: 'The import eksctl-my-cluster-cluster::ClusterSecurityGroupId cannot be resolved to the cluster SG (an import is never resolved by its name), and it is the only SG: nothing sits "next to its own".',
      },
      {
        rule: 'KUB4',
        resource: 'ManagedNodeGroup',
        reason: 'Cluster my-cluster is not in the template.',
      },
    ],
  },
  {
    file: 'w05-eksctl-mng-ssh-wrapped.json',
    findings: [],
    notFindings: [
      {
        rule: 'NG2',
        resource: 'LaunchTemplate',
        reason: 'The first SG is the import eksctl-lt::ClusterSecurityGroupId; an import cannot be resolved to what it points to, so it is not known to be the cluster SG.',
      },
      {
        rule: 'KUB1',
        resource: 'SSH',
        reason: 'SSH (a node SG of the launch template) is open to 0.0.0.0/0 and ::/0 on TCP 22 only; no rule covers 10250, 10255 or NodePorts.',
      },
    ],
  },
  {
    file: 'w06-eksami-nodegroup-2018.json',
    findings: [
      {
        rule: 'IMDS1',
        resource: 'NodeLaunchConfig',
        reason: 'Launch configuration of NodeGroup (ASG tagged kubernetes.io/cluster/${ClusterName}, so EKS nodes) has no MetadataOptions: HttpTokens is not required.',
      },
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'TCP 1025-65535 into node SG NodeSecurityGroup covers 10255 from parameter ClusterControlPlaneSecurityGroup, which cannot be resolved and is not shown to be a dedicated node SG.',
      },
      {
        rule: 'KUB3',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'The same rule covers 10250 from a parameter SG, which cannot be resolved ("unresolved security groups included"; the parameter name does not make it a control-plane SG).',
      },
    ],
    notFindings: [
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupIngress',
        reason: 'All traffic from NodeSecurityGroup itself: a dedicated node SG of the (unknown) cluster, which belongs to every cluster for KUB2 and KUB3.',
      },
      {
        rule: 'PSG5',
        resource: 'NodeGroup',
        reason: 'NodeInstanceType allows t2/t3, but PSG5 applies only with SecurityGroupPolicies on the cluster; there are none.',
      },
    ],
  },
  {
    file: 'w07-eksami-nodegroup-2022.json',
    findings: [
      {
        rule: 'IMDS1',
        resource: 'NodeLaunchTemplate',
        // IMDSv1Disabled is decided by the value of DisableIMDSv1 (AllowedValues), which the finding names.
        when: "when DisableIMDSv1 is 'false'",
        reason: 'HttpTokens is Fn::If [IMDSv1Disabled, required, optional]; DisableIMDSv1 is bounded to "false"/"true", and the "false" branch gives optional (its Default "false" is not what decides it: it is a branch).',
      },
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'TCP 1025-65535 into node SG NodeSecurityGroup covers 10255 from parameter ClusterControlPlaneSecurityGroup (unresolved, not shown to be a dedicated node SG).',
      },
      {
        rule: 'KUB3',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'The same rule covers 10250 from an unresolved parameter SG.',
      },
    ],
    notFindings: [
      {
        rule: 'IMDS2',
        resource: 'NodeLaunchTemplate',
        reason: 'Hop limit is the literal 2.',
      },
    ],
  },
  {
    file: 'w08-qs-eks-nodegroup.json',
    findings: [
      {
        rule: 'IMDS1',
        resource: 'NodeLaunchTemplate',
        // The launch template exists when CreateNodeGroup is 'Yes'; node groups use it when LaunchTemplateId is empty.
        when: "when CreateNodeGroup is 'Yes' and EC2MetadataHttpTokens is 'optional'",
        reason: 'HttpTokens is Ref EC2MetadataHttpTokens with AllowedValues optional/required; the "optional" branch is not required. The template is linked to ManagedNodeGroup and to UnmanagedASG (tagged kubernetes.io/cluster/${EKSClusterName}) through Fn::If [CreateLaunchTemplate, Ref NodeLaunchTemplate, Ref LaunchTemplateId].',
      },
    ],
    notFindings: [
      {
        rule: 'IMDS2',
        resource: 'NodeLaunchTemplate',
        reason: 'Hop limit is Ref EC2MetadataPutResponseHopLimit without AllowedValues: unknown, and IMDS2 reports only a literal hop limit.',
      },
      {
        rule: 'NG1',
        resource: 'ManagedNodeGroup',
        reason: 'With NodeLaunchTemplate the launch template sets SGs (NetworkInterfaces Groups, unresolved); with the LaunchTemplateId parameter the launch template is not in the template, so NG1 does not apply.',
      },
      {
        rule: 'KUB4',
        resource: 'ManagedNodeGroup',
        reason: 'Cluster EKSClusterName (a parameter) is not in the template.',
      },
    ],
  },
  {
    file: 'w09-qs-amazon-eks-main.json',
    findings: [],
    notFindings: [
      {
        rule: 'KUB3',
        resource: 'BastionSShToNodes',
        reason: 'Target is a nested-stack output (unknown, not known to be a node SG) and the rule covers TCP 22 only.',
      },
      {
        rule: 'API2',
        resource: 'EKSControlPlane',
        reason: 'The cluster is inside a nested stack with a remote TemplateURL, which cannot be read: there is no cluster in this template.',
      },
    ],
  },
  {
    file: 'w10-qs-eks-controlplane.json',
    findings: [],
    notFindings: [
      {
        rule: 'API2',
        resource: 'EKS',
        reason: 'AWSQS::EKS::Cluster is not a cluster type the model reads; and even read as one, PublicAccessCidrs is Ref EKSPublicAccessCIDRs (List<String>, Default 0.0.0.0/0 is not a value): unknown, not absent, and API2 reports only 0.0.0.0/0 or ::/0 as written.',
      },
    ],
  },
  {
    file: 'w11-qs-eks-functions.json',
    findings: [],
    notFindings: [
      {
        rule: 'KUB3',
        resource: 'ClusterControlPlaneSecurityGroupIngress',
        reason: 'TCP 443 into a parameter SG (not a node SG) from the Lambda SG: no kubelet port, no node SG.',
      },
    ],
  },
  {
    file: 'w12-eksrefarch-nodegroup.json',
    findings: [
      {
        rule: 'IMDS1',
        resource: 'MyLaunchTemplate',
        reason: 'Launch template of NodeGroup (ASG tagged kubernetes.io/cluster/${ClusterName}, MixedInstancesPolicy LaunchTemplateSpecification Ref MyLaunchTemplate) has no MetadataOptions, in every branch.',
      },
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        // CreateNewNodeSG: ExistingNodeSecurityGroups is empty.
        when: 'when CreateNewNodeSG is true',
        reason: 'The rule (Condition CreateNewNodeSG) opens TCP 1025-65535, covering 10255, into node SG NodeSecurityGroup from parameter ClusterControlPlaneSecurityGroup (unresolved, not shown to be a dedicated node SG).',
      },
      {
        rule: 'KUB3',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        // CreateNewNodeSG: ExistingNodeSecurityGroups is empty.
        when: 'when CreateNewNodeSG is true',
        reason: 'The same conditional rule covers 10250 from an unresolved parameter SG.',
      },
    ],
    notFindings: [
      {
        rule: 'NG3',
        resource: 'MyLaunchTemplate',
        reason: 'Besides NodeSecurityGroup, the Groups come from ExtraNodeSecurityGroups / ExistingNodeSecurityGroups parameters, which are not known to be tagged.',
      },
      {
        rule: 'KUB4',
        resource: 'NodeGroup',
        reason: 'Cluster ${ClusterName} (a parameter) is not in the template.',
      },
    ],
  },
  {
    file: 'w13-eksrefarch-eks.json',
    findings: [],
    notFindings: [
      {
        rule: 'API2',
        resource: 'CL',
        reason: 'Only nested stacks with remote TemplateURLs: nothing in them can be read, their outputs are unknown.',
      },
    ],
  },
  {
    file: 'w14-eksrefarch-cluster-nested.json',
    findings: [
      {
        rule: 'API2',
        resource: 'EKSCluster',
        reason: 'ResourcesVpcConfig sets no endpoint access and no PublicAccessCidrs: EKS defaults, public endpoint from 0.0.0.0/0 ("no public CIDRs").',
      },
    ],
  },
  {
    file: 'w15-cfntpl-eks.json',
    findings: [
      {
        rule: 'API2',
        resource: 'ControlPlane',
        reason: 'No endpoint access settings and no PublicAccessCidrs: public endpoint on by EKS default, from 0.0.0.0/0.',
      },
      {
        rule: 'IMDS1',
        resource: 'LaunchTemplate',
        reason: 'The launch template of ManagedNodeGroup (LaunchTemplate Id Ref LaunchTemplate) sets MetadataOptions HttpTokens: optional.',
      },
    ],
    notFindings: [
      {
        rule: 'KUB4',
        resource: 'ManagedNodeGroup',
        reason: 'It is on dedicated SGs (only ControlPlaneSecurityGroup, not the cluster SG), but ControlPlaneSecurityGroupIngress opens all traffic into it from ControlPlaneSecurityGroup, a control-plane SG of ControlPlane (ResourcesVpcConfig.SecurityGroupIds): the kubelet is reachable.',
      },
      {
        rule: 'KUB2',
        resource: 'ControlPlaneSecurityGroupIngress',
        reason: 'The all-traffic source is ControlPlaneSecurityGroup, which is also the node launch template SG and not the cluster SG, so by the catalog words it is a dedicated node SG of the cluster; KUB3 is excluded too (it is a control-plane SG).',
      },
      {
        rule: 'NG2',
        resource: 'LaunchTemplate',
        reason: 'It attaches an additional control-plane SG, not the cluster SG (ClusterSecurityGroupId), and only one SG.',
      },
    ],
  },
  {
    file: 'w16-cfntpl-ecs-public-vpc.json',
    findings: [],
    notFindings: [
      {
        rule: 'ECS1',
        resource: 'PublicLoadBalancerSG',
        reason: 'All traffic from 0.0.0.0/0 is on the load balancer SG, not on a container instance SG; and there is no ECS capacity provider, so no ECS instance SG is read at all.',
      },
      {
        rule: 'IMDS1',
        resource: 'ContainerInstances',
        reason: 'ECS container instances are not EKS nodes (the ASG has no kubernetes.io/cluster tag).',
      },
    ],
  },
  {
    file: 'w17-cfntpl-ecs-private-vpc.json',
    findings: [],
    notFindings: [
      {
        rule: 'ECS1',
        resource: 'PublicLoadBalancerSG',
        reason: 'The 0.0.0.0/0 all-traffic rule is on the load balancer SG; no capacity provider makes EcsHostSecurityGroup an ECS instance SG, and its rules are from SGs.',
      },
      {
        rule: 'IMDS1',
        resource: 'ContainerInstances',
        reason: 'ECS container instances are not EKS nodes.',
      },
    ],
  },
  {
    file: 'w18-ecsrefarch-ecs-cluster.json',
    findings: [],
    notFindings: [
      {
        rule: 'IMDS1',
        resource: 'ECSLaunchConfiguration',
        reason: 'No MetadataOptions, but ECS container instances are not EKS nodes.',
      },
    ],
  },
  {
    file: 'w19-ecsrefarch-security-groups.json',
    findings: [],
    notFindings: [
      {
        rule: 'ECS1',
        resource: 'LoadBalancerSecurityGroup',
        reason: 'All traffic from 0.0.0.0/0 on a load balancer SG; no capacity provider or Auto Scaling group in the template makes any SG an ECS instance SG.',
      },
    ],
  },
  {
    file: 'w20-ecsrefarch-load-balancers.json',
    findings: [],
  },
  {
    file: 'w21-tw-network-and-eks.json',
    findings: [
      {
        rule: 'API2',
        resource: 'EKSCluster',
        reason: 'No endpoint access settings and no PublicAccessCidrs: public endpoint from 0.0.0.0/0 by EKS default.',
      },
      {
        rule: 'NG1',
        resource: 'EKSNodegroup',
        reason: 'Managed node group of EKSCluster (ClusterName Fn::Sub ${ClusterName} = the cluster\'s Name Ref ClusterName) with no launch template: its nodes share the cluster SG.',
      },
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'NodeSecurityGroup is tagged kubernetes.io/cluster/${ClusterName} (a node SG of EKSCluster by the catalog words, though no node uses it); TCP 1025-65535 covers 10255 from ClusterControlPlaneSecurityGroup, a control-plane SG and not a dedicated node SG.',
      },
    ],
    notFindings: [
      {
        rule: 'KUB1',
        resource: 'ClusterControlPlaneSecurityGroup',
        reason: 'Its TCP 0-65535 from 0.0.0.0/0 rule is on the additional control-plane SG of ResourcesVpcConfig, which is neither the cluster SG, nor tagged, nor in a node launch template: not a node SG, so no KUB1 or LB1.',
      },
      {
        rule: 'KUB3',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'The 10250 source ClusterControlPlaneSecurityGroup is a control-plane SG of EKSCluster.',
      },
    ],
  },
  {
    file: 'w22-mcampos-private-cluster.json',
    findings: [
      {
        rule: 'NG1',
        resource: 'NodeGroup',
        reason: 'Managed node group with no LaunchTemplate: no launch template security groups, its nodes run on the cluster SG.',
      },
    ],
    notFindings: [
      {
        rule: 'API1',
        resource: 'EKSCluster',
        reason: 'Private endpoint on, but NodeGroup names its cluster by parameter ClusterName (Default "private-eks" is not a value), so it is not known to be a node group of EKSCluster; and it is not on dedicated SGs anyway.',
      },
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'NodeSecurityGroup is untagged and in no launch template or launch configuration: not a node SG.',
      },
      {
        rule: 'PRIV1',
        resource: 'EKSCluster',
        reason: 'Private endpoint only and no VPC endpoint in the template, but NodeGroup is not known to be a node group of EKSCluster (ClusterName by parameter), and its nodes carry the cluster SG, which EKS creates outside the template: its egress is unknown, so a path.',
      },
    ],
  },
  {
    file: 'w23-weibeld-eks.json',
    findings: [
      {
        rule: 'API2',
        resource: 'ControlPlane',
        reason: 'No endpoint access settings and no PublicAccessCidrs: public endpoint from 0.0.0.0/0 by EKS default.',
      },
      {
        rule: 'IMDS1',
        resource: 'WorkerNodesLaunchConfiguration',
        reason: 'Launch configuration of WorkerNodesAutoScalingGroup (tagged kubernetes.io/cluster/${ControlPlane}, a node group of ControlPlane) has no MetadataOptions.',
      },
    ],
    notFindings: [
      {
        rule: 'KUB4',
        resource: 'WorkerNodesAutoScalingGroup',
        reason: 'On dedicated WorkerNodesSecurityGroup, but WorkerNodesIngressFromControlPlaneKubelet opens TCP 10250 from ControlPlaneSecurityGroup, a control-plane SG of ControlPlane.',
      },
    ],
  },
  {
    file: 'w24-awscdk-eks-private-endpoint-excerpt.json',
    findings: [
      {
        rule: 'NG1',
        resource: 'ClusterNodegroupDefaultCapacityDA0920A3',
        reason: 'Managed node group of Cluster9EE0221C with no launch template: its nodes share the cluster SG.',
      },
    ],
    notFindings: [
      {
        rule: 'API1',
        resource: 'Cluster9EE0221C',
        reason: 'Private endpoint on, but the only node group is not on dedicated SGs (it carries the cluster SG, whose self rule reaches the endpoint).',
      },
      {
        rule: 'PRIV1',
        resource: 'Cluster9EE0221C',
        reason: 'Private endpoint only (endpointPublicAccess false) and no VPC endpoint in the excerpt, but the default node group has no launch template: its nodes carry the cluster SG, which EKS creates outside the template with egress the template does not show (unknown, so a path).',
      },
      {
        rule: 'LB2',
        resource: 'Clustermanifestconfigmap3F180550',
        reason: 'The manifests hold ConfigMaps only: no Ingress, no SecurityGroupPolicy.',
      },
    ],
  },
  {
    file: 'w25-qs-entrypoint-new-vpc.json',
    findings: [],
    notFindings: [
      {
        rule: 'API2',
        resource: 'EKSStack',
        reason: 'Only nested stacks with remote TemplateURLs; EKSPublicAccessEndpoint is passed into one, but nothing inside can be read.',
      },
    ],
  },
  {
    file: 'w26-awscdk-ecs-capacity-provider-excerpt.json',
    findings: [],
    notFindings: [
      {
        rule: 'ECS1',
        resource: 'ASGInstanceSecurityGroup0525485D',
        reason: 'It is an ECS instance SG (of the launch configuration of ASG46ED3070, used by capacity provider EC2CapacityProvider5A2E35CD), but it has no ingress rule at all.',
      },
      {
        rule: 'IMDS1',
        resource: 'ASGLaunchConfigC00AF12B',
        reason: 'No MetadataOptions, but ECS container instances are not EKS nodes.',
      },
    ],
  },
  {
    file: 'w27-mcampos-jbarto-eks-workers.json',
    findings: [
      {
        rule: 'IMDS1',
        resource: 'NodeLaunchConfig',
        reason: 'Launch configuration of NodeGroup (ASG tagged kubernetes.io/cluster/${ClusterName}) has no MetadataOptions.',
      },
      {
        rule: 'KUB2',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'TCP 1025-65535 into node SG NodeSecurityGroup covers 10255 from parameter ClusterControlPlaneSecurityGroup (unresolved, not shown to be a dedicated node SG).',
      },
      {
        rule: 'KUB3',
        resource: 'NodeSecurityGroupFromControlPlaneIngress',
        reason: 'The same rule covers 10250 from an unresolved parameter SG.',
      },
    ],
    notFindings: [
      {
        rule: 'NG3',
        resource: 'NodeLaunchConfig',
        reason: 'Its second SG is parameter WorkerSecurityGroup, not known to be tagged; only NodeSecurityGroup is.',
      },
      {
        rule: 'NG2',
        resource: 'NodeLaunchConfig',
        reason: 'WorkerSecurityGroup is a parameter: it cannot be resolved to the cluster SG.',
      },
    ],
  },
];

/**
 * eksctl's cluster stack (w01, with the cluster's Name set to 'test') and node group stack (w02) read
 * as one app whose manifest names the cluster stack 'eksctl-test-cluster': the node group's
 * Fn::ImportValue 'eksctl-test-cluster::SecurityGroup' etc. resolve to the cluster stack's outputs.
 *
 * Then 'eksctl-test-cluster::SecurityGroup' is ControlPlaneSecurityGroup (a control-plane SG of
 * ControlPlane, in ResourcesVpcConfig.SecurityGroupIds) and '::SharedNodeSecurityGroup' is
 * ClusterSharedNodeSecurityGroup (now a node SG: it is in the node launch template). NodeGroup is a
 * node group of ControlPlane (tag kubernetes.io/cluster/test) on dedicated SGs. KUB3 on SG goes away
 * (the source is a control-plane SG); KUB4 does not fire (SG takes TCP 1025-65535 from that
 * control-plane SG); API1 does not apply (no private endpoint); NG3 does not fire (only SG is tagged);
 * IngressInterNodeGroupSG is all traffic from ClusterSharedNodeSecurityGroup to itself, a dedicated
 * node SG of the cluster, so no KUB2 or KUB3.
 */
export const EKSCTL_APP_EXPECTATIONS: { readonly [file: string]: readonly ExpectedFinding[] } = {
  'w01-eksctl-cluster.json': [
    {
      rule: 'API2',
      resource: 'ControlPlane',
      reason: 'No endpoint access settings and no PublicAccessCidrs: public endpoint from 0.0.0.0/0 by EKS default.',
    },
  ],
  'w02-eksctl-ng-selfmanaged.json': [
    {
      rule: 'KUB2',
      resource: 'SG',
      reason: 'Inline TCP 1025-65535 covers 10255 into node SG SG from ControlPlaneSecurityGroup (the resolved import), a control-plane SG that is no node SG, so not a dedicated node SG of the cluster.',
    },
  ],
};
