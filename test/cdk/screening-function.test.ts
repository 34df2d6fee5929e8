import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { ScreeningFunction } from '../../lib/screening-function';

/** The feature flags `cdk synth` runs with. */
const cdkContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Condition?: Record<string, Record<string, unknown>>;
};
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const writing = /^dynamodb:.*(Put|Update|Delete|Write)|^kms:(Encrypt|GenerateDataKey|ReEncrypt)/;

// An App without an outdir makes a temporary directory of its own: one for all of them, removed after.
const outdir = mkdtempSync(path.join(tmpdir(), 'contact-screening-cdk-unit-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
let scratchCount = 0;

// Constructs only (no synth, no bundling): cheap enough for each case.
const buildFunction = () => {
  scratchCount += 1;
  const scratch = new Stack(
    new App({
      context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
      outdir: path.join(outdir, String(scratchCount)),
    }),
    'Scratch',
  );
  const table = new dynamodb.Table(scratch, 'Table', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  });
  const fn = new ScreeningFunction(scratch, 'Fn', { entry: 'admin-api' });
  return { scratch, table, fn };
};
const statementsOf = (fn: ScreeningFunction): Statement[] => {
  const policy = fn.role.node.findChild('DefaultPolicy') as iam.Policy;
  return Stack.of(fn).resolve(policy.document.toJSON()).Statement;
};
const variablesOf = (fn: ScreeningFunction): Record<string, unknown> =>
  Stack.of(fn).resolve((fn.function.node.defaultChild as lambda.CfnFunction).environment).variables;

describe('ScreeningFunction.bindTable', () => {
  it('grants reading only for read access: no write actions, no KMS encryption', () => {
    const { scratch, table, fn } = buildFunction();
    fn.bindTable(table, 'read');
    const actions = statementsOf(fn).flatMap((statement) => asArray(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']));
    expect(actions.filter((action) => writing.test(action))).toEqual([]);
    expect(variablesOf(fn)).toMatchObject({ TABLE_NAME: scratch.resolve(table.tableName) });
  });

  it('grants reading and writing items for readWrite access, never table management', () => {
    const { table, fn } = buildFunction();
    fn.bindTable(table, 'readWrite');
    const actions = statementsOf(fn).flatMap((statement) => asArray(statement.Action));
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'kms:Encrypt']),
    );
    expect(
      actions.filter((action) => /^dynamodb:(\*|(Create|Delete|Update)Table|.*Backup)/.test(action)),
    ).toEqual([]);
  });

  it('grants UpdateItem on the listed key prefixes only (dynamodb:LeadingKeys), with read access', () => {
    const { scratch, table, fn } = buildFunction();
    fn.bindTable(table, 'read', { writableKeyPrefixes: ['NOTICE#', 'OTHER#'] });
    const conditioned = statementsOf(fn).filter((statement) => statement.Condition);
    expect(conditioned).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: scratch.resolve(table.tableArn),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NOTICE#*', 'OTHER#*'] } },
      },
    ]);
    const unconditioned = statementsOf(fn)
      .filter((statement) => !statement.Condition)
      .flatMap((statement) => asArray(statement.Action));
    expect(unconditioned.filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual(
      [],
    );
  });

  it('refuses to bind TABLE_NAME to a second, different table', () => {
    const { scratch, table, fn } = buildFunction();
    const other = new dynamodb.Table(scratch, 'Other', {
      partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    });
    fn.bindTable(table, 'read');
    expect(() => fn.bindTable(table, 'readWrite')).not.toThrow();
    expect(() => fn.bindTable(other, 'read')).toThrow(/TABLE_NAME is already bound/);
  });
});

describe('ScreeningFunction, the other bindings', () => {
  it('binds an event bus: EVENT_BUS_NAME and events:PutEvents on that bus only', () => {
    const { scratch, fn } = buildFunction();
    const bus = new events.EventBus(scratch, 'Bus', { eventBusName: 'contact-screening' });
    fn.bindEventBus(bus);
    expect(statementsOf(fn)).toContainEqual({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: scratch.resolve(bus.eventBusArn),
    });
    expect(variablesOf(fn)).toMatchObject({ EVENT_BUS_NAME: scratch.resolve(bus.eventBusName) });
  });

  it('refuses to bind SCREENING_FROM to a second, different sender', () => {
    const { fn } = buildFunction();
    fn.bindMailer({ from: 'a@council.example', identity: 'council.example' });
    expect(() => fn.bindMailer({ from: 'a@council.example', identity: 'council.example' })).not.toThrow();
    expect(() => fn.bindMailer({ from: 'b@council.example', identity: 'council.example' })).toThrow(
      /SCREENING_FROM is already bound/,
    );
  });
});

describe('ScreeningFunction.bindContentScorer', () => {
  it('grants nothing for the in-process scorer, and only comprehend:DetectToxicContent for Comprehend', () => {
    const inProcess = buildFunction().fn.bindContentScorer('in-process');
    expect(variablesOf(inProcess)).toMatchObject({ CONTENT_SCORER: 'in-process' });
    expect(variablesOf(inProcess)).not.toHaveProperty('COMPREHEND_REGION');
    const before = statementsOf(inProcess).flatMap((statement) => asArray(statement.Action));
    expect(before.filter((action) => action.startsWith('comprehend:'))).toEqual([]);

    const comprehend = buildFunction().fn.bindContentScorer('comprehend', 'eu-west-1');
    expect(variablesOf(comprehend)).toMatchObject({
      CONTENT_SCORER: 'comprehend',
      COMPREHEND_REGION: 'eu-west-1',
    });
    const granted = statementsOf(comprehend).filter((statement) =>
      asArray(statement.Action).some((action) => action.startsWith('comprehend:')),
    );
    expect(granted).toEqual([{ Action: 'comprehend:DetectToxicContent', Effect: 'Allow', Resource: '*' }]);
  });
});
