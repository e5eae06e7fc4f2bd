/**
 * The half of the runtime that talks to the network: log and metric delivery, encrypted credentials,
 * remote payloads. Built apart as dist/network.js and loaded only by an invocation that needs it, so an
 * invocation without delivery settings pays nothing for it at cold start.
 */
export { Delivery } from './delivery';
export { readPayload } from './payload';
/**
 * What the decryption of encrypted credentials (dist/decrypt.js, loaded only for them) takes from this
 * half rather than bundling a second copy: the KMS client, the settings every client shares and the notice
 * that a request is written (the role it decrypts with is assumed here, src/runtime/aws/role.ts).
 * One copy of the SDK's core is compiled, and warmed by the first call of either half.
 */
export { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
export { AwsCallError, callWithin, clientConfig, whenWritten } from './aws/sdk';
/** The role the decryption's KMS call is made as, assumed here before dist/decrypt.js is loaded (and by the bench). */
export { assumeRole } from './aws/role';
