import { describe, expect, it } from 'vitest';
import { sourceOffsetOf, stripQuotedAndSignature } from '../../lambdas/core/signals';

const kept = (text: string) => stripQuotedAndSignature(text).text.trim();
const kindsRemoved = (text: string) => stripQuotedAndSignature(text).removed.map((p) => p.kind);

describe('stripQuotedAndSignature: quoted replies', () => {
  it('drops ">" lines and keeps the reply written between them', () => {
    const text =
      '> We cannot offer you a property.\n\nThen I will appeal.\n\n> You remain in band C.\n> Regards';
    expect(kept(text)).toBe('Then I will appeal.');
    expect(kindsRemoved(text)).toEqual(['quoted', 'quoted']);
  });

  it('drops everything from "On … wrote:", on one line or wrapped over two', () => {
    expect(
      kept(
        'Thanks.\n\nOn Tue, 4 Jun 2024 at 09:12, Housing <housing@council.example> wrote:\n> Dear Mr Hall',
      ),
    ).toBe('Thanks.');
    expect(
      kept(
        'Thanks.\n\nOn Tue, 4 Jun 2024 at 09:12, Housing Team\n<housing@council.example> wrote:\n\nDear Mr Hall',
      ),
    ).toBe('Thanks.');
  });

  it('keeps a sentence that only starts like a header: "On reflection … wrote:"', () => {
    expect(kept('On reflection, my neighbour wrote:\nthat the fence is hers.')).toContain('On reflection');
  });

  it("drops Outlook's From/Sent block and -----Original Message-----", () => {
    const outlook =
      'Yes, that is right.\n\n________________________________\nFrom: Parking <parking@council.example>\nSent: 7 June 2024 10:15\nTo: Jo\nSubject: Your challenge\n\nDear Jo, you said you would kill us.';
    expect(kept(outlook)).toBe('Yes, that is right.');
    expect(kindsRemoved(outlook)).toEqual(['quoted']);
    expect(kept('Fine.\n-----Original Message-----\nFrom: Estates\nI know where you live')).toBe('Fine.');
  });

  it("scores a From/Date heading at the very top: it may be the customer's own letter", () => {
    expect(kept('From: Mrs Jane Doe\nDate: 3 June 2024\n\nI am writing about my roof.')).toContain('my roof');
  });

  it('drops forwarded mail, with or without a preface', () => {
    expect(
      kindsRemoved('See below.\n\n---------- Forwarded message ---------\nFrom: Gary\nWatch your back.'),
    ).toEqual(['forwarded']);
    expect(kept('Begin forwarded message:\n\nFrom: Lee\nYou are dead.')).toBe('');
  });
});

describe('stripQuotedAndSignature: signatures, footers and disclaimers', () => {
  it('drops everything after the "-- " delimiter', () => {
    const text =
      'Please find my form attached.\n\n-- \nSam Ortiz\nIf you are feeling suicidal, call Samaritans on 116 123.';
    expect(kept(text)).toBe('Please find my form attached.');
    expect(kindsRemoved(text)).toEqual(['signature']);
  });

  it('drops a sign-off followed by a name, a title, an organisation and a number', () => {
    const text =
      'The photos are attached.\n\nKind regards\nTom Wheeler\nWheeler Dickson Solicitors\nPenistone House, 4 High Street\n07700 900123';
    expect(kept(text)).toBe('The photos are attached.');
  });

  it('keeps what follows a sign-off when it reads as sentences, not a signature', () => {
    expect(kept('Thanks\n\nI will kill you')).toContain('I will kill you');
    expect(kept("Regards,\nyou'll regret this.")).toContain("you'll regret this");
    expect(kept('Thanks for nothing\nWatch your back')).toContain('Watch your back');
  });

  it('drops mobile footers and confidentiality disclaimers', () => {
    expect(kept('Bin missed again.\nSent from my iPhone')).toBe('Bin missed again.');
    const disclaimer =
      'See attached.\n\nThis email and any attachments are confidential. If you have received it in error, kill it.';
    expect(kept(disclaimer)).toBe('See attached.');
    expect(kindsRemoved(disclaimer)).toEqual(['disclaimer']);
  });

  it('keeps "This email is to complain…": only a disclaimer\'s wording starts one', () => {
    expect(kept('This email is to complain about the bins.')).toBe(
      'This email is to complain about the bins.',
    );
  });
});

describe('sourceOffsetOf: from the kept text back to the text as received', () => {
  it('maps offsets across removed lines and Windows line ends', () => {
    const text = '> quoted line\r\nFirst kept\r\n> more quoted\r\nSecond kept';
    const stripped = stripQuotedAndSignature(text);
    expect(stripped.text).toBe('First kept\nSecond kept');
    const at = stripped.text.indexOf('Second');
    expect(
      text.slice(sourceOffsetOf(stripped, at), sourceOffsetOf(stripped, at + 'Second kept'.length)),
    ).toBe('Second kept');
    expect(sourceOffsetOf(stripped, 0)).toBe(text.indexOf('First'));
  });

  it('keeps text with nothing to strip exactly as it is', () => {
    const text = 'Dear Council,\n\nMy bin was missed.\n';
    expect(stripQuotedAndSignature(text).text).toBe(text);
    expect(stripQuotedAndSignature(text).removed).toEqual([]);
  });
});
