/**
 * Jest lifecycle helpers the delivery suites share: what a test's invocations wrote to standard output,
 * one moto_server per suite, misbehaving servers closed after each test, and a Lambda-like context.
 */
import { type FaultHandler, type FaultServer, faultServer } from './fault-server';
import { type Moto, startMoto } from './moto';

/** Captures process.stdout for each test; the returned function gives this test's writes. */
export function stdoutOfEachTest(): () => string[] {
  let lines: string[] = [];
  beforeEach(() => {
    lines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());
  return () => lines;
}

/** One moto_server for the suite (or CI's, through MOTO_ENDPOINT). */
export function motoForSuite(): () => Moto {
  let moto: Moto | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => moto?.stop());
  return () => {
    if (moto === undefined) throw new Error('moto_server did not start');
    return moto;
  };
}

/** Misbehaving servers for a test, all closed after it. */
export function faultServersForEachTest(): { serve(handler: FaultHandler): Promise<FaultServer> } {
  const open: FaultServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return {
    async serve(handler) {
      const server = await faultServer(handler);
      open.push(server);
      return server;
    },
  };
}

/** A Lambda context with `ms` left, as Lambda gives one. */
export function lambdaContext(ms: number, awsRequestId = 'test-run'): { awsRequestId: string; getRemainingTimeInMillis(): number } {
  const end = Date.now() + ms;
  return { awsRequestId, getRemainingTimeInMillis: () => end - Date.now() };
}
