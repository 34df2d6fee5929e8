import { keys } from './table-design';

/**
 * The notify function's own items in the register's table, the only ones it writes (the CDK stack
 * grants UpdateItem on keys with this prefix alone, through dynamodb:LeadingKeys). The key design
 * is in table-design.ts with every other item's.
 */
export const noticeKeyPrefix = keys.noticePrefix;
export const noticeSk = keys.noticeSk;
