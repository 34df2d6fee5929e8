import { adminApiDeps } from '../../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../../lambdas/admin-api/handler';
import { startTestTable, type TestTable } from './dynalite';
import { call, type HttpHandler, httpEvent } from './http-events';
import { testClients, testConfig } from './lambda-config';

/** The admin API's handler on a fresh dynalite table, configured as a local run is (bearer token). */
export async function startAdminApi(token: string): Promise<{ table: TestTable; handler: HttpHandler }> {
  const table = await startTestTable();
  const config = testConfig({
    DYNAMODB_ENDPOINT: table.endpoint,
    TABLE_NAME: table.tableName,
    ADMIN_TOKEN: token,
  });
  const handler: HttpHandler = createAdminApiHandler(adminApiDeps(config, testClients(config)));
  return { table, handler };
}

/**
 * JSON requests to the admin API handler, as a script sends them (the bearer token unless other
 * headers are given). `handler` is read at each call, so it may be set in `beforeAll`.
 */
export function adminRequests(handler: () => HttpHandler, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
    const [rawPath = path, query] = path.split('?');
    return call(
      handler(),
      httpEvent(method, rawPath, {
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headers: { 'content-type': 'application/json', ...headers },
        ...(query ? { query } : {}),
      }),
    );
  };
  return {
    auth,
    send,
    post: (path: string, body: unknown) => send('POST', path, body),
    get: (path: string) => send('GET', path),
  };
}
