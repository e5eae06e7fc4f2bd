/**
 * Whether, and where, an invocation delivers its logs and metrics: read from the request at once and
 * cheaply, so that the network code (dist/network.js) is loaded only when there is something to send.
 */
import type { EncryptedCredentials } from './credentials';
import { isRecord } from './protocol';

/** Region names only: the region lands in a host name. */
export function checkedRegion(value: string | undefined): string | undefined {
  return value !== undefined && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value) ? value : undefined;
}

export interface DeliveryRequest {
  readonly logGroupName: string;
  readonly rawCredentials: unknown;
  readonly encrypted?: EncryptedCredentials;
  readonly region: string;
  readonly awsAccountId?: string;
  readonly hookTypeName?: string;
  readonly stackId?: string;
  readonly targetLogicalId?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What delivery needs from a HookInvocationRequest, or undefined when the hook owner asked for none. Total. */
export function deliveryRequestOf(event: unknown, env: NodeJS.ProcessEnv = process.env): DeliveryRequest | undefined {
  try {
    if (!isRecord(event) || !isRecord(event.requestData)) return undefined;
    const data = event.requestData;
    const logGroupName = str(data.providerLogGroupName);
    if (logGroupName === undefined || data.providerCredentials === undefined || data.providerCredentials === null) return undefined;
    const keyArn = str(data.hookEncryptionKeyArn);
    const roleArn = str(data.hookEncryptionKeyRole);
    return {
      logGroupName: logGroupName.slice(0, 512),
      rawCredentials: data.providerCredentials,
      encrypted: keyArn !== undefined && roleArn !== undefined ? { keyArn, roleArn } : undefined,
      region: checkedRegion(env.AWS_REGION) ?? checkedRegion(str(event.region)) ?? 'us-east-1',
      awsAccountId: str(event.awsAccountId),
      hookTypeName: str(event.hookTypeName),
      stackId: str(event.stackId),
      targetLogicalId: str(data.targetLogicalId),
    };
  } catch {
    return undefined;
  }
}

