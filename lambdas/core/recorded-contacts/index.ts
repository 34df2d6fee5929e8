/**
 * Contacts staff record as they happen — a call, a visit, a letter, a message on social media
 * (4.2.7 "by any means", 4.2.12): screened like any contact, counted with their channel, and the
 * officer told at once what the restrictions in force ask of them (measures.ts, a table).
 */
export { type Measure, measureOf, measurePhrasings, measuresFor } from './measures';
export { allowedHoursInWords, checkPhoneHours, londonWeekday, type PhoneHoursCheck } from './phone-hours';
export {
  type RecordedContactAnswer,
  type RecordedContactRecord,
  type RecordedDecision,
  type RecordedDetails,
  type RecordingDeps,
  type RecordingSettings,
  recordContact,
} from './record-contact';
export {
  allowedClockSkewMinutes,
  callerSchema,
  idempotencyKeySchema,
  type RecordedContactInput,
  recordedContactSchema,
} from './schema';
