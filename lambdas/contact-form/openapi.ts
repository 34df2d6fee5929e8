import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { contactFormSchema } from './schema';

const accepted = z.object({
  reference: z
    .string()
    .meta({ description: 'The contact reference, e.g. CS-7K3F-9Q2M-XW', example: 'CS-7K3F-9Q2M-XW' }),
  message: z
    .string()
    .meta({ description: 'The same acknowledgement for everyone (it never reveals a restriction)' }),
});

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), problem: z.string() }))
    .optional()
    .meta({ description: 'One entry per field with a problem, in the order the form shows them' }),
});

/** The OpenAPI 3.1 document of the contact endpoint, generated from the same zod schemas that validate it. */
export function contactFormOpenApi(topics: readonly string[]) {
  const registry = new OpenAPIRegistry();
  const form = contactFormSchema(topics);
  const problemContent = { 'application/problem+json': { schema: problem } };
  registry.registerPath({
    method: 'post',
    path: '/contact',
    summary: 'Send a message to the council',
    description:
      'Screens the message against the register of contact restrictions and forwards it to the person who reads it. The answer is the same whoever sends it.',
    request: {
      headers: z.object({
        'Idempotency-Key': z
          .string()
          .max(200)
          .optional()
          .meta({ description: 'Retries with the same key are the same message' }),
      }),
      body: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': { schema: form },
          'application/json': { schema: form },
        },
      },
    },
    responses: {
      202: {
        description: 'Accepted and kept: it is screened and sent on from the form’s queue',
        content: { 'application/json': { schema: accepted }, 'text/html': { schema: z.string() } },
      },
      400: { description: 'A field has a problem; each is named', content: problemContent },
      413: { description: 'The body is larger than 64 KB', content: problemContent },
      415: { description: 'Neither a form nor JSON', content: problemContent },
      429: {
        description: 'Too many messages from here; try again after Retry-After seconds',
        content: problemContent,
      },
      503: {
        description: 'Not sent (it could not be kept) because of a problem on our side; try again later',
        content: problemContent,
      },
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Contact screening — contact form', version: '1.0.0' },
    servers: [{ url: '/' }],
  });
}
