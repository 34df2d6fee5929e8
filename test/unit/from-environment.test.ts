import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Config, ConfigError, readConfig } from '../../lambdas/wiring/config';
import { handlerFromEnvironment } from '../../lambdas/wiring/from-environment';
import { httpEvent, lambdaContext } from '../helpers/http-events';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the deployed handler, wired from the environment', () => {
  it('is built on the first invocation, from the validated environment, and reused after', async () => {
    const built: Config[] = [];
    const handler = handlerFromEnvironment((config) => {
      built.push(config);
      return async (event: string) => `${event} handled`;
    });
    expect(built).toHaveLength(0);

    expect(await handler('first', lambdaContext())).toBe('first handled');
    expect(await handler('second', lambdaContext())).toBe('second handled');
    expect(built).toEqual([readConfig(process.env)]);
  });

  it('reads nothing while its module loads: a bad setting fails the first invocation, naming it', async () => {
    vi.stubEnv('FORM_ALLOWED_ORIGINS', 'not an origin');
    const { handler } = await import('../../lambdas/contact-form/handler');
    const invocation = handler(httpEvent('GET', '/openapi.json'), lambdaContext());
    await expect(invocation).rejects.toThrow(ConfigError);
    await expect(invocation).rejects.toThrow(/FORM_ALLOWED_ORIGINS/);
  });

  it('tries again on the next invocation when building failed (a secret not readable yet)', async () => {
    let attempts = 0;
    const handler = handlerFromEnvironment(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('secret unavailable');
      return async () => 'ok';
    });
    await expect(handler('x', lambdaContext())).rejects.toThrow('secret unavailable');
    await expect(handler('x', lambdaContext())).resolves.toBe('ok');
    expect(attempts).toBe(2);
  });
});
