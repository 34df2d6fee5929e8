import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CountedContact, type CountInput, emptyState, type FrequencyState } from '../../core/frequency';
import type { ContactCounts } from '../../core/ports';
import { epochSeconds } from './batch';
import { keys } from './table-design';

type Item = Record<string, unknown>;

/** A topic key as a short attribute-name-safe hash (topic keys can be long and hold any text). */
const topicHash = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 12);
const compactDay = (day: string) => day.replaceAll('-', '');
const isoDay = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

/**
 * Frequency counts in one item per sender. Each day and topic is a string set of the contacts
 * counted (`e_<day>_<topic>`: "reference|time|channel") — adding to a set is atomic and adding
 * the same contact twice changes nothing, so counts are exact under concurrency and a retried
 * delivery is not counted again. Past a cap a day's topic keeps only a number (`o_…`), and days
 * older than the longest window are removed in the same write: the item stays bounded.
 */
export class DynamoContactCounts implements ContactCounts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(subjectId: string): Promise<FrequencyState> {
    const output = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(subjectId), ConsistentRead: true }),
    );
    return output.Item ? parseState(output.Item) : emptyState();
  }

  async count(input: CountInput): Promise<FrequencyState> {
    const h = topicHash(input.topic.key);
    const names: Record<string, string> = { '#t': `t_${h}`, '#entity': 'entity', '#expires': 'expiresAt' };
    const values: Record<string, unknown> = {
      ':topic': {
        key: input.topic.key,
        label: input.topic.label,
        how: input.topic.how,
        lastDay: input.day,
        ...(input.topic.fingerprint ? { fingerprint: input.topic.fingerprint } : {}),
      },
      ':entity': 'frequency',
      ':expires': epochSeconds(input.expiresAt),
    };
    const sets = ['#t = :topic', '#entity = :entity', '#expires = :expires'];
    if (input.senderIdentity) {
      names['#sender'] = 'senderAddress';
      values[':sender'] = input.senderIdentity;
      sets.push('#sender = :sender');
    }
    const adds: string[] = [];
    if (input.overflow) {
      names['#o'] = `o_${compactDay(input.day)}_${h}`;
      values[':one'] = 1;
      adds.push('#o :one');
    } else {
      names['#e'] = `e_${compactDay(input.day)}_${h}`;
      values[':entry'] = new Set([`${input.contact.reference}|${input.contact.at}|${input.contact.channel}`]);
      adds.push('#e :entry');
    }
    const stale = staleAttributes(input.known, input.oldestDay, input.topic.key);
    const removes = [...stale.days, ...stale.topics].slice(0, 50).map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    const output = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(input.subjectId),
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    return output.Attributes ? parseState(output.Attributes) : emptyState();
  }

  /**
   * A sender's counts join a customer's (core/history.ts), exactly once: the contacts' string sets
   * are added (adding the same contact again changes nothing), each topic keeps the later of its
   * two last days, and the `joined` set remembers the sender, so that a repeated join — which
   * would add the overflow numbers twice — fails its condition and changes nothing. Chunks of
   * attributes go first unguarded (idempotent), the overflow numbers and the mark last.
   */
  async absorb(customerId: string, senderId: string): Promise<number> {
    const [senderItem, customerItem] = await Promise.all(
      [senderId, customerId].map(async (id) => {
        const output = await this.client.send(
          new GetCommand({ TableName: this.tableName, Key: this.key(id), ConsistentRead: true }),
        );
        return output.Item;
      }),
    );
    if (!senderItem) return 0;
    if ((customerItem?.joined as Set<string> | undefined)?.has(senderId)) return 0;
    const sets: [string, unknown][] = [];
    const numbers: [string, number][] = [];
    let contacts = 0;
    for (const [name, value] of Object.entries(senderItem)) {
      if (/^e_\d{8}_[0-9a-f]{12}$/.test(name)) {
        sets.push([name, value]);
        contacts += (value as Set<string>).size;
      } else if (/^o_\d{8}_[0-9a-f]{12}$/.test(name)) {
        numbers.push([name, Number(value)]);
        contacts += Number(value);
      } else if (/^t_[0-9a-f]{12}$/.test(name)) {
        const mine = customerItem?.[name] as { lastDay?: string } | undefined;
        const theirs = value as { lastDay: string };
        if (!mine?.lastDay || mine.lastDay < theirs.lastDay) sets.push([name, value]);
      }
    }
    const expires = Math.max(Number(senderItem.expiresAt ?? 0), Number(customerItem?.expiresAt ?? 0));
    const update = async (
      part: { add: [string, unknown][]; set: [string, unknown][] },
      guard: boolean,
    ): Promise<boolean> => {
      const names: Record<string, string> = { '#entity': 'entity', '#expires': 'expiresAt' };
      const values: Record<string, unknown> = { ':entity': 'frequency', ':expires': expires };
      const setClauses = ['#entity = :entity', '#expires = :expires'];
      const addClauses: string[] = [];
      part.set.forEach(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        setClauses.push(`#s${i} = :s${i}`);
      });
      part.add.forEach(([name, value], i) => {
        names[`#a${i}`] = name;
        values[`:a${i}`] = value;
        addClauses.push(`#a${i} :a${i}`);
      });
      if (guard) {
        names['#joined'] = 'joined';
        values[':sender'] = senderId;
        values[':senders'] = new Set([senderId]);
        addClauses.push('#joined :senders');
      }
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(customerId),
            UpdateExpression: `SET ${setClauses.join(', ')}${addClauses.length ? ` ADD ${addClauses.join(', ')}` : ''}`,
            ...(guard ? { ConditionExpression: 'NOT contains(#joined, :sender)' } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (guard && error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    };
    const contactSets = sets.filter(([name]) => name.startsWith('e_'));
    const topics = sets.filter(([name]) => name.startsWith('t_'));
    // An update expression is limited in size: at most 40 attributes in each.
    for (let i = 0; i < contactSets.length; i += 40)
      await update({ add: contactSets.slice(i, i + 40), set: [] }, false);
    for (let i = 0; i < topics.length; i += 40)
      await update({ add: [], set: topics.slice(i, i + 40) }, false);
    const marked = await update({ add: numbers.slice(0, 40), set: [] }, true);
    return marked ? contacts : 0;
  }

  private key(subjectId: string) {
    return { PK: keys.frequency(subjectId), SK: keys.frequencySk };
  }
}

/** The item's attributes as the core's FrequencyState. */
function parseState(item: Item): FrequencyState {
  const state = emptyState();
  const keyOfHash = new Map<string, string>();
  for (const [name, value] of Object.entries(item)) {
    const match = name.match(/^t_([0-9a-f]{12})$/);
    if (!match) continue;
    const topic = value as FrequencyState['topics'] extends Map<string, infer T> ? T : never;
    keyOfHash.set(match[1]!, topic.key);
    state.topics.set(topic.key, topic);
  }
  for (const [name, value] of Object.entries(item)) {
    const match = name.match(/^([eo])_(\d{8})_([0-9a-f]{12})$/);
    if (!match) continue;
    const [, kind, compact, h] = match as unknown as [string, 'e' | 'o', string, string];
    const day = isoDay(compact);
    const topicKey = keyOfHash.get(h) ?? `unknown:${h}`;
    const topics = state.days.get(day) ?? new Map();
    const entry = topics.get(topicKey) ?? { contacts: [] as CountedContact[], overflow: 0 };
    if (kind === 'o') entry.overflow += Number(value);
    else {
      for (const text of value as Set<string>) {
        const [reference = '', at = '', ...channel] = text.split('|');
        entry.contacts.push({ reference, at, channel: channel.join('|') });
      }
    }
    topics.set(topicKey, entry);
    state.days.set(day, topics);
  }
  return state;
}

/** The attribute names of days before `oldestDay` and of topics not seen since then. */
function staleAttributes(
  item: FrequencyState,
  oldestDay: string,
  currentTopic: string,
): { days: string[]; topics: string[] } {
  const days: string[] = [];
  for (const [day, topics] of item.days) {
    if (day >= oldestDay) continue;
    for (const key of topics.keys()) {
      days.push(`e_${compactDay(day)}_${topicHash(key)}`, `o_${compactDay(day)}_${topicHash(key)}`);
    }
  }
  const topics = [...item.topics.values()]
    // The current topic is written anew in the same update.
    .filter((t) => t.lastDay < oldestDay && t.key !== currentTopic)
    .map((t) => `t_${topicHash(t.key)}`);
  return { days, topics };
}
