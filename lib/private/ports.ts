import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** A port range as a rule would write it; undefined ends are tokens or absent (all traffic). */
export interface PortRange {
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  /** Whether an end of the range is a token, so the range cannot be checked. */
  readonly unresolved: boolean;
}

/** The protocol and range an `ec2.Port` writes, read without resolving tokens. */
export function rangeOf(port: ec2.Port): PortRange {
  const json = port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
  const known = (n: number | undefined) => (n === undefined || Token.isUnresolved(n) ? undefined : n);
  return {
    protocol: String(json.ipProtocol),
    from: known(json.fromPort),
    to: known(json.toPort),
    unresolved: Token.isUnresolved(json.fromPort) || Token.isUnresolved(json.toPort) || Token.isUnresolved(json.ipProtocol),
  };
}
