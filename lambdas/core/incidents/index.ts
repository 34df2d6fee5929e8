/**
 * Incidents (5.3–5.9, 3.2.5, 3.3, 6.1, 6.2): the kinds as data (kinds.ts), what is recorded
 * (incident.ts), what recording one sets going (effects.ts), the use case (record-incident.ts) and
 * the next step the console suggests (suggest.ts). The letters before a restriction are in
 * core/step-letters/.
 */
export { incidentEvents } from './effects';
export {
  type Caller,
  callerKeys,
  type Incident,
  type IncidentInput,
  incidentIdForKey,
  incidentInputSchema,
  incidentSubjectOf,
} from './incident';
export {
  type IncidentChannel,
  type IncidentKind,
  type IncidentKindRule,
  type IncidentQuestion,
  incidentChannels,
  incidentKinds,
  incidentRules,
  questionLabels,
  ruleOf,
  type StepLetterKind,
} from './kinds';
export type { IncidentJoin, IncidentStore } from './ports';
export { readIncident } from './read-incident';
export {
  type IncidentDeps,
  IncidentNotPublishedError,
  incidentAudit,
  type RecordedIncident,
  recordIncident,
} from './record-incident';
export { type NextStep, suggestNextStep } from './suggest';
