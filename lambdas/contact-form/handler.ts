import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler, { type Route } from '@middy/http-router';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { HttpError, type HttpResult, json, problemFromError } from '../adapters/http';
import { logger, recordScreeningFailure } from '../adapters/observability';
import { createSqsClient } from '../adapters/sqs/client';
import { acceptFormSubmission, checkRateLimits, RateLimitedError } from '../core/form';
import { fieldProblems, ValidationError } from '../core/validation';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { type ContactFormDeps, type ContactFormSite, contactFormDeps } from './deps';
import { contactFormOpenApi } from './openapi';
import { renderConfirmationPage, renderFormPage, renderProblemPage } from './page';
import { contactFormSchema } from './schema';

/** Larger bodies are refused before parsing: the message is limited to 5,000 characters anyway. */
const maxBodyBytes = 64 * 1024;

/**
 * How long before the function's own timeout POST /contact gives up waiting and answers 503 "not
 * sent" itself (middy's early timeout of the route): the answer must never be Lambda's timeout or a
 * 500 (P1: the person is told to send it again). Ample for an answer built in-process.
 */
const answerBeforeTimeoutMs = 1_000;

/** The one answer every accepted submission gets, whoever sent it (P4). */
export const acceptedMessage = (reference: string) =>
  `Thank you. Your message has been sent. Your reference is ${reference}: please quote it if you contact us about the same matter.`;

/** The page's address and where its assets are, when the web team hosts it elsewhere (FORM_PAGE_URL). */
const links = (site: ContactFormSite) => {
  if (!site.formPageUrl) return {};
  const url = new URL(site.formPageUrl);
  return { formUrl: url.href, assetsBase: new URL('.', url).href.replace(/\/$/, '') };
};
const pageOf = (site: ContactFormSite) => ({
  topics: site.topics,
  councilName: site.councilName,
  privacyNoticeUrl: site.privacyNoticeUrl,
  ...links(site),
});

/**
 * The pages answered to a plain form post load only their own style sheet and script and post only
 * to this endpoint: nothing else may run, frame them or be sent anywhere.
 */
function contentSecurityPolicy(site: ContactFormSite) {
  const assets = site.formPageUrl ? `'self' ${new URL(site.formPageUrl).origin}` : "'self'";
  return {
    'default-src': "'none'",
    'script-src': assets,
    'style-src': assets,
    'connect-src': "'self'",
    'img-src': assets,
    'form-action': "'self'",
    'base-uri': "'none'",
    'frame-ancestors': "'none'",
    sandbox: undefined,
    'navigate-to': undefined,
    'report-to': undefined,
    'upgrade-insecure-requests': undefined,
    // middy drops directives whose value is empty: these remove its defaults that would break the page.
  } as unknown as Record<string, string>;
}

type FormEvent = APIGatewayProxyEventV2 & { body?: unknown; rawBody?: string };

/**
 * A plain HTML form (no JavaScript) asks for a page back; the page's script and other clients
 * ask for JSON. Both get the same decisions.
 */
function wantsHtml(event: FormEvent): boolean {
  const accept = event.headers?.accept ?? '';
  return /text\/html/i.test(accept) && !/application\/(problem\+)?json/i.test(accept);
}

function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body,
  };
}

/** Values to show back in the form after an error: strings only, as typed. */
function typedValues(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

const minutes = (seconds: number) => {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return `${n} minute${n === 1 ? '' : 's'}`;
};

/** The answer to an error: problem JSON, or a page for a plain form post. */
function answerError(error: unknown, event: FormEvent, asHtml: boolean, site: ContactFormSite): HttpResult {
  let problem = problemFromError(error);
  if (error instanceof RateLimitedError) {
    problem = json(
      429,
      {
        type: 'about:blank',
        title: 'Too many messages',
        status: 429,
        detail: `Too many messages have been sent from here. Please try again in ${minutes(error.retryAfterSeconds)}. Nothing you sent before has been lost.`,
      },
      {
        'retry-after': String(error.retryAfterSeconds),
        'content-type': 'application/problem+json; charset=utf-8',
      },
    );
  } else if (problem.statusCode === 500 || problem.statusCode === 503) {
    // Nothing was delivered and nothing kept: say so, so that the person sends it again later (P1).
    problem = json(
      503,
      {
        type: 'about:blank',
        title: 'Your message could not be sent',
        status: 503,
        detail:
          'Your message has not been sent because of a problem on our side. Please try again in a few minutes.',
      },
      { 'retry-after': '120', 'content-type': 'application/problem+json; charset=utf-8' },
    );
  }
  if (!asHtml) return problem;
  if (error instanceof ValidationError) {
    return html(
      400,
      renderFormPage({ ...pageOf(site), values: typedValues(event.body), errors: error.problems }),
    );
  }
  const body = JSON.parse(problem.body ?? '{}') as { title?: string; detail?: string };
  const retry = problem.headers?.['retry-after'];
  return html(
    problem.statusCode ?? 500,
    renderProblemPage({
      title: body.title ?? 'Something went wrong',
      detail: body.detail ?? '',
      councilName: site.councilName,
      ...links(site),
      ...(retry ? { retryAfterSeconds: Number(retry) } : {}),
    }),
    retry ? { 'retry-after': String(retry) } : {},
  );
}

/** Refuses bodies over the limit before anything parses them. */
const bodyLimit = (site: ContactFormSite): middy.MiddlewareObj<FormEvent, HttpResult> => ({
  before: async (request) => {
    const { body, isBase64Encoded } = request.event;
    // Nothing to decode: the urlencode parser would fail on an absent body marked base64 (a 500).
    if (body === undefined) request.event.isBase64Encoded = false;
    const size = typeof body === 'string' ? Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8') : 0;
    if (size > maxBodyBytes) {
      const error = new HttpError(
        413,
        'Message too large',
        `The form can send at most ${maxBodyBytes / 1024} KB.`,
      );
      return answerError(error, request.event, wantsHtml(request.event), site);
    }
    return undefined;
  },
});

/**
 * The web contact form's endpoint (API Gateway HTTP API): POST /contact, and its OpenAPI
 * document. Thin: parse, validate, limit, then the core's acceptFormSubmission (one write to the
 * form's queue), and the same 202 for everyone.
 */
export function createContactFormHandler(deps: ContactFormDeps) {
  const { site } = deps;
  const formSchema = contactFormSchema(site.topics);

  async function submit(event: FormEvent): Promise<HttpResult> {
    const asHtml = wantsHtml(event);
    try {
      if (typeof event.body !== 'object' || event.body === null) {
        throw new HttpError(
          415,
          'Unsupported media type',
          'Send the form as application/x-www-form-urlencoded or application/json.',
        );
      }
      const parsed = formSchema.safeParse(event.body);
      if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error));
      const form = parsed.data;
      const meta = {
        receivedAt: new Date(event.requestContext.timeEpoch || Date.now()).toISOString(),
        idempotencyKey: event.headers?.['idempotency-key']?.slice(0, 200),
        sourceIp: event.requestContext.http.sourceIp,
      };
      await checkRateLimits(form, meta, deps);
      // Kept durably, then answered at once: screening runs from the queue (lambdas/form-screening),
      // so the answer and its timing are the same whoever sent it (P4).
      const { reference } = await acceptFormSubmission(form, meta, deps);
      logger.info('contact form accepted', { reference });
      const message = acceptedMessage(reference);
      return asHtml
        ? html(202, renderConfirmationPage({ reference, message, councilName: site.councilName }))
        : json(202, { reference, message });
    } catch (error) {
      return answerSubmission(error, event);
    }
  }

  /** Any failure of POST /contact: a 4xx as named, anything else 503 "not sent" (never 500). */
  function answerSubmission(error: unknown, event: FormEvent): HttpResult {
    const answer = answerError(error, event, wantsHtml(event), site);
    // Not kept, and the person told to send it again later: the IT team sees it too.
    if (answer.statusCode === 503) recordScreeningFailure(deps.metrics, 'web-form');
    return answer;
  }

  // Its early timeout fires before the outer one's, so that a queue or store that hangs is answered
  // 503 "not sent" by this route, within the function's timeout.
  const contactRoute = middy<FormEvent, HttpResult>({ timeoutEarlyInMillis: answerBeforeTimeoutMs })
    .use(bodyLimit(site))
    .use(httpUrlencodeBodyParser({ disableContentTypeError: true }))
    .use(httpJsonBodyParser({ disableContentTypeError: true }))
    .use({
      onError: async (request) => {
        // Malformed JSON or form encoding, or the route's early timeout.
        request.response = answerSubmission(request.error, request.event);
      },
    })
    .handler(submit);

  const routes: Route<FormEvent, HttpResult>[] = [
    { method: 'POST', path: '/contact', handler: contactRoute },
    { method: 'GET', path: '/openapi.json', handler: async () => json(200, contactFormOpenApi(site.topics)) },
  ];

  return middy<FormEvent, HttpResult>()
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(deps.metrics))
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders({ contentSecurityPolicy: contentSecurityPolicy(site) }))
    .use(
      httpCors({
        origins: [...site.allowedOrigins],
        methods: 'POST',
        headers: 'content-type,idempotency-key,accept',
        disableBeforePreflightResponse: false,
      }),
    )
    .use({
      onError: async (request) => {
        // A submission is never answered 500 (the outer early timeout included): it was not sent.
        request.response = isSubmission(request.event)
          ? answerSubmission(request.error, request.event)
          : problemFromError(request.error);
      },
    })
    .handler(httpRouterHandler(routes));
}

/** POST /contact, as the router matches it. */
const isSubmission = (event: FormEvent) =>
  event.requestContext?.http?.method === 'POST' &&
  (event.requestContext.http.path ?? '').replace(/\/$/, '') === '/contact';

/** The deployed function: wired from the environment on first use (never while the module loads). */
export const handler = handlerFromEnvironment((config) =>
  createContactFormHandler(
    contactFormDeps(config, { dynamodb: createDynamoDocumentClient(config), sqs: createSqsClient(config) }),
  ),
);
