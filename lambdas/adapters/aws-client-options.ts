import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type DependencyDeadlines, standardDeadlines } from './dependency-deadlines';

export {
  DependencyDeadlineError,
  type DependencyDeadlines,
  DependencyUnavailableError,
  guardClient,
  localDeadlines,
  mailSendingDeadlines,
  standardDeadlines,
} from './dependency-deadlines';

/** Static credentials, for the local emulators; in AWS none are given and the SDK finds the function's role. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * What every AWS client is made with: the region, the endpoint when one is set (locally: an
 * emulator; in AWS unset, so the SDK uses the real service), credentials when given, and the
 * deadlines of each attempt and the number of attempts (dependency-deadlines.ts has the arithmetic).
 * A client made from these should also be passed to `guardClient`, for the call deadline and circuit.
 */
export function awsClientOptions(
  region: string,
  endpoint: string | undefined,
  credentials?: StaticCredentials,
  deadlines: DependencyDeadlines = standardDeadlines,
) {
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: deadlines.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: deadlines.connectionTimeoutMs,
      // The whole attempt, up to the answer's headers: without the flag the handler only warns.
      requestTimeout: deadlines.requestTimeoutMs,
      throwOnRequestTimeout: true,
      // Idle time on the socket: a response body (an S3 object) that stops flowing fails.
      socketTimeout: deadlines.bodyIdleTimeoutMs,
    }),
  };
}
