import { z } from 'zod';
import { parseSettings } from '../adapters/config';

/**
 * The notify function's own setting, read once and validated like the rest of the configuration
 * (lambdas/adapters/config.ts holds MANAGERS and SCREENING_FROM).
 */
export const notifySettingsSchema = z.object({
  /** Whether managers are also told about each contact routed under a restriction. */
  NOTIFY_RESTRICTED_ROUTED: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
});

export type NotifySettings = z.infer<typeof notifySettingsSchema>;

export function readNotifySettings(env: Record<string, string | undefined> = process.env): NotifySettings {
  return parseSettings(notifySettingsSchema, env);
}
