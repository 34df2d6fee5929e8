import { startTestTable, type TestTable } from './dynalite';
import type { HttpHandler } from './http-events';

/**
 * The admin API's handler on a fresh dynalite table, configured as a local run is (bearer token).
 * Import before any other module under lambdas/: they read the environment once.
 */
export async function startAdminApi(token: string): Promise<{ table: TestTable; handler: HttpHandler }> {
  const table = await startTestTable();
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: table.endpoint,
    TABLE_NAME: table.tableName,
    ADMIN_TOKEN: token,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const { handler } = await import('../../lambdas/admin-api/handler');
  return { table, handler };
}
