/**
 * The half of the runtime that talks to the network: log and metric delivery, encrypted credentials,
 * remote payloads. Built apart as dist/network.js and loaded only by an invocation that needs it, so an
 * invocation without delivery settings pays nothing for it at cold start.
 */
export { Delivery } from './delivery';
export { readPayload } from './payload';
