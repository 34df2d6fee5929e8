/**
 * `npm start`: the whole stack on this machine, with the same handlers as in AWS.
 * Prints where everything is; Ctrl-C (SIGINT) or SIGTERM stops it all and exits 0.
 */
import { eventBusName, eventRules } from '../lambdas/adapters/eventbridge/rules';
import { type LocalStack, LocalStackError, startLocalStack } from './stack';

const STOP_TIMEOUT_MS = 10_000;

function describe(stack: LocalStack): string {
  const { urls } = stack;
  const domains = stack.councilDomains.map((domain) => `@${domain}`).join(' or ');
  const rules = eventRules.map((rule) => `${rule.id} → ${rule.target}`).join(', ');
  const rows: Array<[string, string]> = [
    ['contact form', urls.form],
    ['staff console', `${urls.staff}  (sign in as officer@, manager@ or senior@council.example)`],
    ['staff password', stack.staffPassword],
    ['admin API', `${urls.admin}  (Authorization: Bearer <admin token>)`],
    ['register CLI', 'npm run register -- --help'],
    ['health', urls.health],
    ['SES emulator', `${urls.sesUi}  (outbound mail viewer)`],
    ['DynamoDB', `${urls.dynamodb}  (table ${stack.tableName})`],
    ['S3', `${urls.s3}  (bucket ${stack.bucket})`],
    ['inbound SMTP', `${urls.smtp} (mail to any address ${domains})`],
    ['EventBridge', `${urls.eventbridge}  (local bus ${eventBusName}: ${rules})`],
    ['admin token', stack.adminToken],
    ['data', stack.dataDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const seeded = stack.seed === 'seeded' ? ' — demo register seeded' : '';
  return [
    `Contact screening — local stack is up${seeded}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    'Ctrl-C stops it.',
  ].join('\n');
}

async function main(): Promise<void> {
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ log: (line) => console.error(line) });
  } catch (error) {
    if (error instanceof LocalStackError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  console.log(describe(stack));

  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C reaches us twice under `npm start` (from the terminal and relayed by tsx): only a
      // later, deliberate second signal means "do not wait".
      if (Date.now() - stoppingSince < 1_000) return;
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping the local stack…`);
    setTimeout(() => {
      console.error('The local stack did not stop in time; exiting.');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
