import { adminApiDeps } from '../../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../../lambdas/admin-api/handler';
import { startTestTable, type TestTable } from './dynalite';
import type { HttpHandler } from './http-events';
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
