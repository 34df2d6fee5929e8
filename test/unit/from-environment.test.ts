import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handlerFromEnvironment } from '../../lambdas/wiring/from-environment';

const context = {} as Context;

describe('the deployed handler wired from the environment', () => {
  it('builds once, on the first invocation, and reuses what it built', async () => {
    let builds = 0;
    const handler = handlerFromEnvironment(async () => {
      builds += 1;
      return async (event: string) => `handled ${event}`;
    });
    expect(builds).toBe(0);
    await expect(handler('a', context)).resolves.toBe('handled a');
    await expect(handler('b', context)).resolves.toBe('handled b');
    expect(builds).toBe(1);
  });

  it('tries again on the next invocation when building failed (a secret not readable yet)', async () => {
    let attempts = 0;
    const handler = handlerFromEnvironment(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('secret unavailable');
      return async () => 'ok';
    });
    await expect(handler('x', context)).rejects.toThrow('secret unavailable');
    await expect(handler('x', context)).resolves.toBe('ok');
    expect(attempts).toBe(2);
  });
});
