import http from 'node:http';
import {
  fromApiGatewayResult,
  type GatewayRequest,
  type GatewayResponse,
  type LambdaHandler,
  lambdaContext,
  problem,
  toApiGatewayEvent,
} from './api-gateway-v2';
import { closeServer, listenOn, type PortClaim } from './ports';
import { functionNames } from './settings';

/** API Gateway's own limit is 10 MB; nothing we accept comes near 1 MiB, so refuse early. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** An HTTP API integration times out after 30 s at most. */
const INTEGRATION_TIMEOUT_MS = 30_000;

export interface Route {
  /** `METHOD /path`, or `METHOD /prefix/*` for everything under the prefix; METHOD may be ANY. */
  route: string;
  /** The function's name in its Lambda Context (as the CDK stack names it). */
  functionName: string;
  handler: LambdaHandler;
}

/** The handlers behind the gateway's routes: the stack's functions and its own local parts. */
export interface RouteHandlers {
  health: LambdaHandler;
  staticFiles: LambdaHandler;
  adminApi: LambdaHandler;
  contactForm: LambdaHandler;
  staffConsole: LambdaHandler;
}

/**
 * The routes the CDK stack deploys, mapped to the same handlers: one row per route, first match
 * wins (so a new function's routes go before the catch-all `GET /*`). Keep the two in step.
 */
export function localRoutes(handlers: RouteHandlers): Route[] {
  return [
    { route: 'GET /health', functionName: 'local-health', handler: handlers.health },
    { route: 'ANY /admin/*', functionName: functionNames.adminApi, handler: handlers.adminApi },
    // POST, and OPTIONS for a browser's CORS preflight.
    { route: 'ANY /contact', functionName: functionNames.contactForm, handler: handlers.contactForm },
    { route: 'GET /openapi.json', functionName: functionNames.contactForm, handler: handlers.contactForm },
    { route: 'ANY /staff/*', functionName: functionNames.staffConsole, handler: handlers.staffConsole },
    { route: 'GET /*', functionName: 'local-web', handler: handlers.staticFiles },
  ];
}

export function matchRoute(routes: Route[], method: string, rawPath: string): Route | undefined {
  return routes.find(({ route }) => {
    const [routeMethod, pattern = ''] = route.split(' ');
    const methodMatches =
      routeMethod === 'ANY' || routeMethod === method || (routeMethod === 'GET' && method === 'HEAD');
    if (!methodMatches) return false;
    if (!pattern.endsWith('/*')) return rawPath === pattern;
    const prefix = pattern.slice(0, -1);
    return rawPath.startsWith(prefix) || rawPath === prefix.slice(0, -1);
  });
}

export interface Gateway {
  /** One request through routing, the payload 2.0 event and the handler: what the server does, in-process. */
  dispatch(request: GatewayRequest): Promise<GatewayResponse>;
  /**
   * Hands every request under `prefix` to a Node listener as it arrives (the local OpenID provider at
   * /oidc, which reads its own body and sets its own headers): not a function of the stack, no event.
   */
  mount(prefix: string, listener: http.RequestListener): void;
  listen(host: string, claim: PortClaim): Promise<number>;
  close(): Promise<void>;
}

export function createGateway(options: {
  routes: Route[];
  log?: (line: string) => void;
  timeoutMs?: number;
}): Gateway {
  const { routes, log = () => undefined, timeoutMs = INTEGRATION_TIMEOUT_MS } = options;

  async function dispatch(request: GatewayRequest): Promise<GatewayResponse> {
    const event = toApiGatewayEvent(request);
    const route = matchRoute(routes, request.method, event.rawPath);
    if (!route)
      return fromApiGatewayResult(problem(404, 'Not Found', 'No route matches this method and path.'));
    const context = lambdaContext(route.functionName, timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([route.handler(event, context), timedOut]);
      if (result === 'timeout') {
        log(`gateway: ${route.route} timed out after ${timeoutMs} ms (request ${context.awsRequestId})`);
        return fromApiGatewayResult(problem(504, 'Gateway Timeout', 'The handler did not answer in time.'));
      }
      return fromApiGatewayResult(result);
    } catch (error) {
      // Name only: an error message may quote what the sender wrote (P7). LOG_LEVEL=DEBUG shows the stack.
      const name = error instanceof Error ? error.name : typeof error;
      const debug =
        process.env.LOG_LEVEL?.toUpperCase() === 'DEBUG' && error instanceof Error ? `\n${error.stack}` : '';
      log(`gateway: ${route.route} failed with ${name} (request ${context.awsRequestId})${debug}`);
      return fromApiGatewayResult(
        problem(500, 'Internal Server Error', `The handler failed; request id ${context.awsRequestId}.`),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  const server = http.createServer((req, res) => {
    void serve(req, res).catch(() => {
      if (!res.headersSent) writeResponse(res, fromApiGatewayResult(problem(500, 'Internal Server Error')));
      else res.destroy();
    });
  });

  const mounts: Array<{ prefix: string; listener: http.RequestListener }> = [];

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const mounted = mounts.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`));
    if (mounted) return mounted.listener(req, res);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuseTooLarge(req, res);
    const body = await readBody(req);
    if (body === 'too-large') return refuseTooLarge(req, res);
    if (body === 'aborted') return;
    const response = await dispatch({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headersDistinct as Record<string, string[]>, // node's Dict type allows undefined; values never are
      body,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
    });
    writeResponse(res, response);
  }

  return {
    dispatch,
    mount: (prefix, listener) => {
      mounts.push({ prefix, listener });
    },
    listen: (host, claim) => listenOn(server, host, claim),
    close: () => closeServer(server),
  };
}

/** Reads at most MAX_BODY_BYTES; stops listening (without buffering more) once past it. */
function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: Buffer | 'too-large' | 'aborted') => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        finish('too-large');
      } else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onAbort = () => finish('aborted');
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}

/**
 * 413 before the body is read into memory. What the client is still sending is discarded (so
 * that it can read the answer; closing on it mid-upload would reset the connection and lose the
 * answer), for a moment only: a client still sending after that is cut off.
 */
function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  const response = fromApiGatewayResult(
    problem(413, 'Content Too Large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`),
  );
  res.on('finish', () => {
    req.resume();
    const cutOff = setTimeout(() => req.socket.destroy(), 2_000);
    cutOff.unref();
    req.once('end', () => clearTimeout(cutOff));
  });
  writeResponse(res, response);
}

function writeResponse(res: http.ServerResponse, response: GatewayResponse): void {
  res.statusCode = response.statusCode;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies);
  if (response.statusCode === 204 || response.statusCode === 304) {
    res.end();
    return;
  }
  res.setHeader('content-length', response.body.length);
  res.end(response.body);
}
