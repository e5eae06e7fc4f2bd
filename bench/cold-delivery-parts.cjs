// What the delivery path loads and runs for the first time, measured alone in a fresh process, in the
// order the hook meets them: node:crypto, compiling dist/network.js (the CloudWatch Logs and CloudWatch
// clients), the first delivery through those clients (client set-up, endpoint rules, signing, node:http,
// two loopback calls), then, for encrypted credentials only, compiling dist/decrypt.js (the Encryption
// SDK) and the first decryption through it (the STS call of the network half, then KMS and the message). The endpoints are a stand-in in this
// process answering at once (STS with fixed role credentials, KMS with the message's data key), so no
// emulator's latency is inside the figures. Everything runs the built files' own exports.
// argv: <dist/network.js> <dist/decrypt.js> <input.json: { message (base64), dataKey (hex), keyArn, roleArn }>
'use strict';
const clock = globalThis.performance;
const fs = require('node:fs');
const parts = {};
const step = (name, fn) => {
  const t0 = clock.now();
  const value = fn();
  parts[name] = clock.now() - t0;
  return value;
};
const stepAsync = async (name, fn) => {
  const t0 = clock.now();
  const value = await fn();
  parts[name] = clock.now() - t0;
  return value;
};

const input = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
step('cryptoMs', () => require('node:crypto'));
const network = step('networkMs', () => require(process.argv[2]));

// The stand-in endpoint is set up outside the steps; it loads node:http, which the hook's first call would
// otherwise load: that module's first use is measured apart.
step('httpMs', () => require('node:http'));
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const target = String(req.headers['x-amz-target'] ?? '');
    if (/Action=AssumeRole/.test(body)) {
      res.writeHead(200, { 'content-type': 'text/xml' }).end(
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
          '<AccessKeyId>ASIABENCHROLE</AccessKeyId><SecretAccessKey>bench-role-secret</SecretAccessKey><SessionToken>bench-role-token</SessionToken>' +
          '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></AssumeRoleResponse>',
      );
    } else if (target === 'TrentService.Decrypt') {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
        JSON.stringify({ KeyId: input.keyArn, Plaintext: Buffer.from(input.dataKey, 'hex').toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
      );
    } else {
      res.writeHead(200, { 'content-type': target.startsWith('Logs_') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0' }).end('{}');
    }
  });
});

const warnings = [];
const platformLog = { warn: (message, fields) => warnings.push({ message, ...fields }) };
const OWNER = { accessKeyId: 'AKIDBENCHOWNER', secretAccessKey: 'bench-owner-secret', sessionToken: 'bench-owner-token' };
const FUNCTION_ENV = { AWS_ACCESS_KEY_ID: 'AKIDBENCHFUNCTION', AWS_SECRET_ACCESS_KEY: 'bench-function-secret', AWS_SESSION_TOKEN: 'bench-function-token' };

server.listen(0, '127.0.0.1', async () => {
  try {
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${server.address().port}`;
    process.env.AWS_REGION = 'us-east-1';
    await stepAsync('firstDeliveryMs', async () => {
      const request = {
        logGroupName: 'bench',
        rawCredentials: JSON.stringify(OWNER),
        region: 'us-east-1',
        awsAccountId: '123456789012',
        hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
        stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/bench/1',
        targetLogicalId: 'Task',
      };
      const delivery = new network.Delivery(request, platformLog, Date.now() + 10_000, FUNCTION_ENV);
      delivery.record('{"level":"INFO","message":"Answered"}');
      await delivery.finish({ invocationPoint: 'CREATE_PRE_PROVISION', durationMs: 1, exceptionType: undefined }, Date.now() + 5_000);
    });
    const decrypt = step('decryptModuleMs', () => require(process.argv[3]));
    const own = { accessKeyId: FUNCTION_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: FUNCTION_ENV.AWS_SECRET_ACCESS_KEY, sessionToken: FUNCTION_ENV.AWS_SESSION_TOKEN };
    const signal = AbortSignal.timeout(10_000);
    // The role is assumed by the network half (the hook asks for it before loading dist/decrypt.js), then decrypted with.
    const outcome = await stepAsync('firstDecryptMs', () =>
      decrypt.decryptCredentials(Buffer.from(input.message, 'base64'), input.keyArn, network.assumeRole(input.roleArn, 'us-east-1', own, signal), signal),
    );
    // The plaintext must be the credentials' JSON; it is checked, never printed.
    if (!outcome.ok || typeof JSON.parse(outcome.plaintext.toString('utf8')).accessKeyId !== 'string') throw new Error(`decryption failed: ${outcome.reason}`);
    if (warnings.length > 0) throw new Error(`delivery failed: ${JSON.stringify(warnings)}`);
    fs.writeSync(1, `${JSON.stringify({ parts })}\n`);
    process.exit(0);
  } catch (error) {
    fs.writeSync(2, `${error?.name}: ${error?.message}\n`);
    process.exit(1);
  }
});
