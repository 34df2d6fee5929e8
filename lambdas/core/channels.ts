/**
 * The channels contact arrives by (4.2.7 "by any means", 4.2.12). Email and the web form arrive by
 * themselves and are screened by a function; staff record the others as they happen.
 */
export const channels = ['email', 'web-form', 'telephone', 'in-person', 'letter', 'social-media'] as const;
export type Channel = (typeof channels)[number];

/** The channels a member of staff records (POST /admin/contacts). */
export const recordedChannels = ['telephone', 'in-person', 'letter', 'social-media'] as const;
export type RecordedChannel = (typeof recordedChannels)[number];

export const isRecordedChannel = (channel: string): channel is RecordedChannel =>
  (recordedChannels as readonly string[]).includes(channel);

/** How a person reads a channel: `telephone`, `in person`, `web form`, `email to <mailbox>`. */
export function channelInWords(channel: string): string {
  if (channel.startsWith('email:')) return `email to ${channel.slice('email:'.length)}`;
  return channel.replace(/-/g, ' ');
}
