import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  loadSessionKey,
  type SecretReader,
  sessionKeyFrom,
} from '../../lambdas/adapters/secrets/session-key';
import { staffConsoleSettingsSchema } from '../../lambdas/staff-console/settings';

const arn = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:StaffSessionKey-AbCdEf';

/** A stand-in client that answers GetSecretValue for one secret, and records what was asked. */
function secretsHolding(value: string | undefined) {
  const asked: unknown[] = [];
  const client: SecretReader = {
    send: (async (command: GetSecretValueCommand) => {
      asked.push(command.input);
      return { SecretString: value };
    }) as SecretReader['send'],
  };
  return { client, asked };
}

describe('loadSessionKey', () => {
  it('reads the secret by its ARN and gives a key the console accepts (32 bytes, base64)', async () => {
    const { client, asked } = secretsHolding('a-long-random-string-generated-by-secrets-manager');
    const key = await loadSessionKey(client, arn);
    expect(asked).toEqual([{ SecretId: arn }]);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    const settings = staffConsoleSettingsSchema.parse({
      STAFF_OIDC_ISSUER: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_pool',
      STAFF_OIDC_CLIENT_ID: 'client',
      STAFF_CONSOLE_URL: 'https://staff.council.example',
      STAFF_SESSION_KEY: key,
    });
    expect(settings.sessionKey).toHaveLength(32);
  });

  it('gives the same key for the same secret (cookies survive a cold start) and another for another', async () => {
    expect(await loadSessionKey(secretsHolding('one').client, arn)).toBe(sessionKeyFrom('one'));
    expect(sessionKeyFrom('one')).toBe(sessionKeyFrom('one'));
    expect(sessionKeyFrom('one')).not.toBe(sessionKeyFrom('two'));
  });

  it('fails, naming the secret, when it holds no string', async () => {
    await expect(loadSessionKey(secretsHolding(undefined).client, arn)).rejects.toThrow(arn);
    await expect(loadSessionKey(secretsHolding('').client, arn)).rejects.toThrow(/no string value/);
  });
});
