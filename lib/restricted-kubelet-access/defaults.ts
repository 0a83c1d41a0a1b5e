import { Boundaries } from '../boundaries';

/** Webhook ports opened from the cluster security group unless `webhookPorts` says otherwise. */
export const DEFAULT_WEBHOOK_PORTS: readonly number[] = Boundaries.DEFAULT_WEBHOOK_PORTS;

export const TCP = 'tcp';
