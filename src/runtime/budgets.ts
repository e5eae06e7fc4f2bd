/** How long the network may hold an invocation; documented in guide/SECURITY.md (Limits). */

/** How long delivery may add to an invocation once its answer is ready. */
export const DELIVERY_BUDGET_MS = 2000;
/** The longest a payload read may take, retries included (an invocation has 30 s). */
export const PAYLOAD_BUDGET_MS = 20_000;
