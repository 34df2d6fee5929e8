import { createHash } from 'node:crypto';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The one call this adapter makes: a client, or a test's stand-in for one. */
export type SecretReader = Pick<SecretsManagerClient, 'send'>;

/**
 * The staff console's session key (`STAFF_SESSION_KEY`: 32 bytes, base64) from the Secrets Manager secret
 * the stack generates (`STAFF_SESSION_KEY_SECRET_ARN`). The secret holds a long random string, not the key
 * itself: its SHA-256 digest is the key, so the value may be any string an operator sets, and it never
 * sits in the function's plain environment. Changing the secret signs everyone out.
 */
export async function loadSessionKey(client: SecretReader, secretArn: string): Promise<string> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const value = result.SecretString;
  if (!value) throw new Error(`The session key secret ${secretArn} has no string value`);
  return sessionKeyFrom(value);
}

/** The key made from a secret's value: SHA-256, 32 bytes, base64. */
export function sessionKeyFrom(secretValue: string): string {
  return createHash('sha256').update(secretValue, 'utf8').digest('base64');
}
