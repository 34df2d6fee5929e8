import { describe, expect, it } from 'vitest';
import {
  identityKeysOf,
  nameAndPostcodeKey,
  normaliseEmail,
  normaliseName,
  normalisePhone,
  normalisePostcode,
} from '../../lambdas/core/identity';

describe('normaliseEmail', () => {
  it.each([
    ['alex.example@example.org', 'alex.example@example.org'],
    ['  Alex.Example@Example.ORG  ', 'alex.example@example.org'],
    ['"Alex Example" <alex.example@example.org>', 'alex.example@example.org'],
    ['Alex Example <ALEX.EXAMPLE@example.org>', 'alex.example@example.org'],
    ['mailto:alex.example@example.org', 'alex.example@example.org'],
    ['<alex.example@example.org>.', 'alex.example@example.org'],
    ['alex.example+complaints@example.org', 'alex.example@example.org'],
    ['alex.example+a+b@example.org', 'alex.example@example.org'],
    ['(alex.example@example.org);', 'alex.example@example.org'],
    ['prvs=144d0cba7=alex.example@example.org', 'alex.example@example.org'],
    ['SRS0=HHH=TT=example.org=alex.example@forwarder.example.net', 'alex.example@example.org'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it.each([[''], ['not an address'], ['@example.org'], ['+tag@example.org'], ['alex@'], ['Alex <>']])(
    'rejects %j',
    (input) => {
      expect(normaliseEmail(input)).toBeUndefined();
    },
  );
});

describe('normalisePhone', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['07700900123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['0044 7700 900 123', '+447700900123'],
    ['(01707) 357000', '+441707357000'],
    ['tel:+441707357000', '+441707357000'],
    ['+1 202 555 0143', '+12025550143'],
  ])('%s → %s (E.164, UK default)', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each([['123'], ['call me'], ['']])('rejects %j', (input) => {
    expect(normalisePhone(input)).toBeUndefined();
  });
});

describe('normalisePostcode', () => {
  it.each([
    ['al10 0zz', 'AL100ZZ'],
    ['AL10 0ZZ', 'AL100ZZ'],
    [' sw1a  1aa ', 'SW1A1AA'],
    ['m1 1ae', 'M11AE'],
    ['GIR 0AA', 'GIR0AA'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });

  it.each([['AL10'], ['12345'], ['ZZZZ ZZZ']])('rejects %j', (input) => {
    expect(normalisePostcode(input)).toBeUndefined();
  });
});

describe('normaliseName and name + postcode', () => {
  it('ignores case, accents, punctuation, spacing and titles', () => {
    expect(normaliseName("Dr  Zoë O'Brien-Smith")).toBe('zoe obrien smith');
    expect(normaliseName('ZOE OBRIEN SMITH')).toBe('zoe obrien smith');
    expect(nameAndPostcodeKey('Mr Alex Example', 'al10 0zz')).toBe(
      nameAndPostcodeKey('alex  example', 'AL100ZZ'),
    );
  });

  it('has no key without both a name and a real postcode', () => {
    expect(nameAndPostcodeKey('Alex Example', 'nowhere')).toBeUndefined();
    expect(nameAndPostcodeKey('!!!', 'AL10 0ZZ')).toBeUndefined();
  });
});

describe('identityKeysOf', () => {
  it('collects every usable identity once, across many emails and phones', () => {
    const keys = identityKeysOf({
      emails: ['A@example.org', 'a+x@example.org', 'b@example.org', 'junk'],
      phones: ['07700 900123', '+447700900123', 'none'],
      name: 'Alex Example',
      postcode: 'AL10 0ZZ',
    });
    expect(keys).toEqual([
      { kind: 'email', value: 'a@example.org' },
      { kind: 'email', value: 'b@example.org' },
      { kind: 'phone', value: '+447700900123' },
      { kind: 'name-postcode', value: 'alex example|AL100ZZ' },
    ]);
  });

  it('uses name + postcode only together', () => {
    expect(identityKeysOf({ name: 'Alex Example' })).toEqual([]);
    expect(identityKeysOf({ postcode: 'AL10 0ZZ' })).toEqual([]);
  });
});
