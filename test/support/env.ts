/**
 * Every suite runs hermetic: no AWS credentials or endpoints from the developer's shell reach the hook,
 * and any AWS call a test does not point elsewhere lands on a closed loopback port.
 */
for (const name of Object.keys(process.env)) {
  if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|ENDPOINT_URL.*|REGION|DEFAULT_REGION)$/.test(name)) delete process.env[name];
}
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
process.env.AWS_REGION = 'us-east-1';

// Expected noise, silenced: the AWS SDKs' notices about the Node.js version (v3) and end of support
// (v2, which the generated models' library requires), printed once per test file otherwise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
