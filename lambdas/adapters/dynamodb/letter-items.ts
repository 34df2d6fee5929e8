import type { LetterSummary, StoredLetter } from '../../core/ports';
import type { Item } from './batch';
import { tableDesign } from './table-design';

/** Items of the register as the core reads them: the table's key attributes taken off; letters (8.1) read back. */

const keyAttributes = [
  tableDesign.partitionKey,
  tableDesign.sortKey,
  tableDesign.gsi1.partitionKey,
  tableDesign.gsi1.sortKey,
  'entity',
];

export function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as T;
}

/** Letters written before references and the postal check printed their id as the reference. */
export function summaryOfLetter(item: Item): LetterSummary {
  const letter = withoutKeys<LetterSummary>(item);
  return { ...letter, reference: letter.reference ?? letter.id, postable: letter.postable ?? true };
}

export function letterOf(item: Item): StoredLetter {
  const letter = withoutKeys<StoredLetter>(item);
  return { ...letter, ...summaryOfLetter(item), pdf: new Uint8Array(letter.pdf) };
}

/** A letter's summary fields: HTML, text and PDF are read only when asked for. */
const summaryFields = [
  'id',
  'reference',
  'postable',
  'customerId',
  'restrictionId',
  'kind',
  'subject',
  'createdAt',
  'createdBy',
];
export const summaryProjection = {
  ProjectionExpression: summaryFields.map((_, index) => `#f${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(summaryFields.map((field, index) => [`#f${index}`, field])),
};
