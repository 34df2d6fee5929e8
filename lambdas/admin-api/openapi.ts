import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { alertListQuerySchema, alertOutcomeInputSchema } from '../core/alert-outcomes';
import { contactReferenceSchema } from '../core/contact-view';
import { customerInputSchema, customerPatchSchema } from '../core/customer';
import { customerSearchSchema } from '../core/customer-search';
import { escalationStepInputSchema } from '../core/escalation';
import { incidentInputSchema } from '../core/incidents';
import { recordedContactSchema } from '../core/recorded-contacts';
import { registerFilterSchema } from '../core/register-view';
import { reportQuerySchema } from '../core/reports';
import { restrictionInputSchema } from '../core/restriction';
import {
  acknowledgeConflictsInputSchema,
  advisedInputSchema,
  extendInputSchema,
  liftInputSchema,
  reviewInputSchema,
} from '../core/restriction-actions';
import { contactToScreenSchema } from '../core/screen';
import { draftStepLetterSchema, editStepLetterSchema, sendStepLetterSchema } from '../core/step-letters';

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
});
const problemContent = { 'application/problem+json': { schema: problem } };
const anyJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.looseObject({}) } },
});
const errors = {
  400: { description: 'A field has a problem; each is named', content: problemContent },
  401: { description: 'No or wrong credentials', content: problemContent },
  404: { description: 'No such customer, restriction or letter', content: problemContent },
  409: {
    description: 'Conflicts with the register as it stands (overlap, already lifted, changed meanwhile)',
    content: problemContent,
  },
};
const id = z.object({ id: z.string().meta({ description: 'cus_…, res_… or let_… id' }) });

interface Operation {
  method: RouteConfig['method'];
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** `true`: the `{id}` path parameter; or the schema of other path parameters. */
  params?: true | z.ZodObject;
  status?: number;
  response?: RouteConfig['responses'][string];
}

/** Every admin route, with the zod schemas that validate it (the same ones the handler uses). */
const operations: Operation[] = [
  {
    method: 'post',
    path: '/admin/customers',
    summary: 'Register a customer (12.1.1)',
    body: customerInputSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/customers',
    summary: 'List customers, or find them by email or phone',
    query: z.object({ email: z.string().optional(), phone: z.string().optional() }),
  },
  {
    method: 'get',
    path: '/admin/customers/{id}',
    summary: 'A customer with restrictions and escalation (7.2)',
    params: true,
  },
  {
    method: 'patch',
    path: '/admin/customers/{id}',
    summary: 'Change a customer; `why` is kept in the audit trail',
    body: customerPatchSchema,
    params: true,
  },
  {
    method: 'post',
    path: '/admin/customers/{id}/escalation',
    summary: 'Record an escalation step: concern, warning (7.2.1), written notice (7.2.2)',
    body: escalationStepInputSchema,
    params: true,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/customers/{id}/audit',
    summary: 'The audit trail (read only)',
    params: true,
  },
  {
    method: 'get',
    path: '/admin/customers/{id}/letters',
    summary: 'Informing letters generated (8.1)',
    params: true,
  },
  {
    method: 'get',
    path: '/admin/customers/{id}/export',
    summary: 'Everything held about the customer (subject access)',
    params: true,
  },
  {
    method: 'post',
    path: '/admin/restrictions',
    summary: 'Impose a restriction (7.3, 8.2); writes the informing letter (8.1)',
    body: restrictionInputSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/restrictions/{id}',
    summary: 'A restriction with its status now',
    params: true,
  },
  {
    method: 'post',
    path: '/admin/restrictions/{id}/lift',
    summary: 'Lift a restriction; writes a letter',
    body: liftInputSchema,
    params: true,
  },
  {
    method: 'post',
    path: '/admin/restrictions/{id}/extend',
    summary: 'Extend a restriction (10.1); writes a letter; the customer must be advised again',
    body: extendInputSchema,
    params: true,
  },
  {
    method: 'post',
    path: '/admin/restrictions/{id}/review',
    summary: 'Record a review that keeps the restriction (10.1)',
    body: reviewInputSchema,
    params: true,
  },
  {
    method: 'post',
    path: '/admin/restrictions/{id}/advised',
    summary: 'Record when the customer and services were advised (12.1.4)',
    body: advisedInputSchema,
    params: true,
  },
  {
    method: 'post',
    path: '/admin/restrictions/{id}/acknowledge-conflicts',
    summary: 'Acknowledge clashes with reasonable adjustments',
    body: acknowledgeConflictsInputSchema,
    params: true,
  },
  {
    method: 'get',
    path: '/admin/letters/{id}',
    summary: 'A letter as JSON, HTML, plain text or PDF',
    params: true,
    query: z.object({ format: z.enum(['json', 'html', 'pdf', 'text']).optional() }),
    response: {
      description: 'The letter',
      content: {
        'application/json': { schema: z.looseObject({}) },
        'text/html': { schema: z.string() },
        'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
  },
  {
    method: 'get',
    path: '/admin/register',
    summary: 'The central register (10.2, 12.1) as JSON or CSV',
    query: registerFilterSchema,
    response: {
      description: 'The register',
      content: { 'application/json': { schema: z.looseObject({}) }, 'text/csv': { schema: z.string() } },
    },
  },
  { method: 'get', path: '/admin/reviews', summary: 'Reviews due soon, overdue and ended (10.1)' },
  {
    method: 'get',
    path: '/admin/contacts',
    summary: "A customer's contact log with decisions",
    query: z.object({ customerId: z.string(), limit: z.string().optional() }),
  },
  {
    method: 'post',
    path: '/admin/contacts',
    summary:
      "Record a contact staff took by telephone, in person, by letter or on social media (4.2.7, 4.2.12): screened, counted, and answered with what the restrictions in force ask of the officer, one line each with its clause. Send an Idempotency-Key header (or the body's id) so that a repeat is counted once (200 with the first answer)",
    body: recordedContactSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/alerts',
    summary: 'Frequency alerts raised (4.2.7, 4.2.8, 4.2.12), each open or closed with its outcome',
    query: alertListQuerySchema,
  },
  { method: 'get', path: '/admin/alerts/{id}', summary: 'One alert with its outcome', params: true },
  {
    method: 'post',
    path: '/admin/alerts/{id}/outcome',
    summary: "Record a manager's outcome, closing the alert (warning-given also records the step, 7.2.1)",
    params: true,
    body: alertOutcomeInputSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/customers/search',
    summary: 'Find customers by name, email, phone, postcode, contact reference or letter reference',
    query: customerSearchSchema,
  },
  {
    method: 'get',
    path: '/admin/contacts/{reference}',
    summary: 'One screened contact: decision, reasons with clauses, route (P3)',
    params: contactReferenceSchema,
  },
  {
    method: 'get',
    path: '/admin/attention',
    summary:
      'What needs attention: open alerts, reviews, starts and ends this week, conflicts, advice (12.1.4)',
  },
  { method: 'get', path: '/admin/events', summary: 'Events published to the bus, newest first' },
  // Incidents and the letters before a restriction (lambdas/admin-api/incident-routes.ts).
  {
    method: 'post',
    path: '/admin/incidents',
    summary:
      'Record an incident as a file note (5.4.2, 5.7, 5.8, 3.3, 6.1, 3.2.5); publishes IncidentRecorded, the managers are emailed at once; threats of harm raise SafeguardingConcernRaised (urgent). Send an Idempotency-Key header: a repeat returns the same incident',
    body: incidentInputSchema,
    status: 201,
  },
  { method: 'get', path: '/admin/incidents/{id}', summary: 'One incident, with its file note', params: true },
  {
    method: 'get',
    path: '/admin/customers/{id}/incidents',
    summary: "A customer's incidents, oldest first (those recorded before they were registered too)",
    params: true,
  },
  {
    method: 'post',
    path: '/admin/customers/{id}/step-letters',
    summary: 'Draft a letter before a restriction (7.2.1, 7.2.2, 5.9) from an escalation step or an incident',
    body: draftStepLetterSchema,
    params: true,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/customers/{id}/step-letters',
    summary: "A customer's letters before a restriction, drafts and sent",
    params: true,
  },
  {
    method: 'get',
    path: '/admin/step-letters/{id}',
    summary: 'A letter before a restriction (json, or html, text or pdf: a draft as it would print today)',
    params: true,
    query: z.object({ format: z.enum(['json', 'html', 'pdf', 'text']).optional() }),
  },
  {
    method: 'patch',
    path: '/admin/step-letters/{id}',
    summary: 'Change a draft (409 once it was sent, or when `revision` is not the current one)',
    body: editStepLetterSchema,
    params: true,
  },
  {
    method: 'post',
    path: '/admin/step-letters/{id}/sent',
    summary: 'Mark a letter as sent: printed now and kept unchanged from then on (12.1); 409 if sent already',
    body: sendStepLetterSchema,
    params: true,
  },
  {
    method: 'get',
    path: '/admin/reports',
    summary:
      'The monitoring report (13.1) for a period of London days (default: the last full quarter): counts and rates only, as JSON, CSV or PDF',
    query: reportQuerySchema,
  },
  {
    method: 'post',
    path: '/admin/screening-preview',
    summary: 'Where a contact would go, and why (changes nothing)',
    body: contactToScreenSchema,
  },
];

let document: ReturnType<OpenApiGeneratorV31['generateDocument']> | undefined;

/** The OpenAPI 3.1 document of the admin API, generated from the schemas that validate it. */
export function openAdminApi() {
  if (document) return document;
  const registry = new OpenAPIRegistry();
  const security = registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'Locally, the token `npm start` prints; in AWS the API takes IAM (SigV4) credentials instead.',
  });
  for (const op of operations) {
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      security: [{ [security.name]: [] }],
      request: {
        ...(op.params ? { params: op.params === true ? id : op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body
          ? { body: { required: true, content: { 'application/json': { schema: op.body } } } }
          : {}),
      },
      responses: { [op.status ?? 200]: op.response ?? anyJson('Done'), ...errors },
    });
  }
  document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Contact screening — admin API', version: '1.0.0' },
    servers: [{ url: '/' }],
  });
  return document;
}
