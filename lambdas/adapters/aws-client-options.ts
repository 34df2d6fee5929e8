/** Static credentials, for the local emulators; in AWS none are given and the SDK finds the function's role. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * What every AWS client is made with: the region, the endpoint when one is set (locally: an
 * emulator; in AWS unset, so the SDK uses the real service), and credentials when given.
 */
export function awsClientOptions(
  region: string,
  endpoint: string | undefined,
  credentials?: StaticCredentials,
) {
  return { region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
}
