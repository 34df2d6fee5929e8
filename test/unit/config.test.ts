import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../lambdas/wiring/config';

describe('configuration', () => {
  it('has working defaults for a local run', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      TABLE_NAME: 'contact-screening',
      COUNCIL_DOMAINS: ['council.example'],
      SERVICE_INBOX: 'customer.services@council.example',
      MANAGERS: ['managers@council.example'],
      SCREENING_FROM: 'screening@council.example',
      SEND_ACKNOWLEDGEMENTS: true,
      FREQUENCY_TOPIC_COUNT: 5,
      FREQUENCY_TOPIC_DAYS: 7,
    });
  });

  it('reads lists, and allows no managers (alerts are then only recorded)', () => {
    const config = readConfig({
      COUNCIL_DOMAINS: ' Council.Example , housing.council.example ',
      MANAGERS: '',
    });
    expect(config.COUNCIL_DOMAINS).toEqual(['council.example', 'housing.council.example']);
    expect(config.MANAGERS).toEqual([]);
  });

  it('fails at once with a message naming each bad setting', () => {
    expect(() =>
      readConfig({
        SERVICE_INBOX: 'not an address',
        FREQUENCY_TOPIC_COUNT: 'many',
        CASE_REFERENCE_PATTERN: '(',
      }),
    ).toThrow(ConfigError);
    try {
      readConfig({
        SERVICE_INBOX: 'not an address',
        FREQUENCY_TOPIC_COUNT: 'many',
        CASE_REFERENCE_PATTERN: '(',
      });
    } catch (error) {
      expect((error as Error).message).toMatch(/SERVICE_INBOX: must be an email address/);
      expect((error as Error).message).toMatch(/FREQUENCY_TOPIC_COUNT/);
      expect((error as Error).message).toMatch(/CASE_REFERENCE_PATTERN: must be a valid regular expression/);
    }
  });
});
