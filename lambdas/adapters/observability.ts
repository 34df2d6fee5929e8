import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The one Logger and Metrics of this process (STYLE 5). Logs carry ids and decisions only:
 * never message bodies, addresses or names (P7).
 */
export const logger = new Logger({
  serviceName: 'contact-screening',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO'),
});

export const metrics = new Metrics({ namespace: 'ContactScreening', serviceName: 'contact-screening' });
