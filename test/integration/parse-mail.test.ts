import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseInboundMail } from '../../lambdas/adapters/mail/parse-mail';
import { MailParseError, type ParsedInboundMail } from '../../lambdas/core/inbound-mail';
import {
  failingStream,
  inChunks,
  mailFixtureNames,
  messageWithLargeAttachment,
  messageWithLongHeaderLine,
  messageWithLongText,
  readMailFixture,
} from '../helpers/mail-corpus';

const MB = 1024 * 1024;

interface Expected extends Partial<Omit<ParsedInboundMail, 'text' | 'problems'>> {
  /** Words the text must contain (topic detection reads them). */
  textHas?: string[];
  /** What must never reach the text (markup, script, style). */
  textHasNot?: string[];
  /** Exactly these problems, in any order. */
  problems: string[];
}

const ada = { from: ['ada.testperson@example.org'], fromNames: ['Ada Testperson'] };
const notDecoded = 'some text could not be decoded';

/** What each file of test/fixtures/mail must parse to (see its README). */
const corpus: Record<string, Expected> = {
  'plain-utf8.eml': {
    ...ada,
    subject: 'Missed bin collection on Elm Road',
    date: '2025-07-01T09:00:00.000Z',
    messageIdHeader: '<plain-utf8.0001@example.org>',
    to: ['customer.services@council.example'],
    textHas: ['Elm Road was missed', '"overfilled" – it', 'Diolch yn fawr (ŵ, ŷ, â)'],
    attachments: [],
    isListMail: false,
    isDeliveryReport: false,
    problems: [],
  },
  'multipart-alternative.eml': {
    from: ['rhiannon.example@example.com'],
    fromNames: ['Rhiannon Example'],
    subject: 'Planning application comments',
    textHas: ['PLN/2025/0042', 'hedge\n– it is home'],
    textHasNot: ['<p>', '<b>'],
    attachments: [{ filename: 'hedge.png', contentType: 'image/png', size: 70 }],
    problems: [],
  },
  'html-only.eml': {
    from: ['bart.placeholder@example.net.example'],
    subject: 'Parking fine',
    textHas: ["£50 fine & I don’t think it's fair", 'Mill Lane', 'PCN AB12345678', '<not a tag> Thank you'],
    textHasNot: ['alert', 'never run me', 'color', 'ignored title', 'a comment', '<p>', '&nbsp;'],
    attachments: [],
    problems: [],
  },
  'attachments-only.eml': {
    from: ['zoe.fictional@example.org'],
    subject: 'Documents',
    attachments: [
      // application/octet-stream with a .pdf name: mailparser names the type from the file name
      { filename: 'council-tax-letter.pdf', contentType: 'application/pdf', size: 1251 },
      { filename: 'photo.jpg', contentType: 'image/jpeg', size: 2006 },
    ],
    problems: ['no readable text'],
  },
  'winmail-tnef.eml': {
    from: ['ada.testperson@example.org'],
    fromNames: ['Testperson, Ada'],
    subject: 'Housing repair request',
    textHas: ['damp in the back bedroom'],
    attachments: [{ filename: 'winmail.dat', contentType: 'application/ms-tnef', size: 3004 }],
    problems: ['a winmail.dat (Outlook TNEF) attachment, whose contents were not read'],
  },
  'forwarded-rfc822.eml': {
    from: ['rhiannon.example@example.com'],
    subject: 'Fwd: Noise complaint',
    // The forwarded message is read for its words, and its own headers are not the sender's.
    textHas: ['Forwarding my neighbour', 'Subject: Noise complaint NSE-4471', 'until 3am again'],
    attachments: [{ filename: 'noise-diary.pdf', contentType: 'application/pdf', size: 1251 }],
    problems: [],
  },
  'forwarded-as-attachment.eml': {
    from: ['rhiannon.example@example.com'],
    subject: 'Fwd: Noise complaint (as attachment)',
    textHas: ['See the attached message.'],
    textHasNot: ['3am'],
    attachments: [{ filename: 'Noise complaint.eml', contentType: 'message/rfc822', size: 320 }],
    problems: [],
  },
  'encoded-words.eml': {
    from: ['renee.dupont@example.fr.example'],
    fromNames: ['Renée Dupont-Exemple'],
    subject: 'Réclamation – stationnement ✓ (deuxième envoi)',
    date: '2025-07-09T05:00:00.000Z',
    textHas: ['je vous écris'],
    problems: [],
  },
  'raw-latin1-8bit.eml': {
    from: ['renee.dupont@example.fr.example'],
    fromNames: ['Renée Dupont-Exemple'],
    subject: 'Problème avec la poubelle, café fermé',
    // The body declares no charset: mailparser reads it as UTF-8, so its accented letters are lost.
    textHas: ['la poubelle', 'Merci beaucoup'],
    problems: ['header text that is not UTF-8 (read as windows-1252)', notDecoded],
  },
  'windows-1252-body.eml': {
    ...ada,
    subject: 'Council tax refund',
    textHas: ['I’d get a “refund” of £120 – or €140 – by now.'],
    problems: [],
  },
  'shift-jis.eml': {
    from: ['taro.yamada@example.jp.example'],
    fromNames: ['山田 太郎'],
    subject: 'ごみ収集について',
    textHas: ['ごみの収集日を教えてください'],
    problems: ['header text that is not UTF-8 (read as shift_jis)'],
  },
  'missing-from.eml': {
    from: [],
    fromNames: [],
    subject: 'No sender here',
    textHas: ['names no sender'],
    problems: ['no From header'],
  },
  'two-from-headers.eml': {
    from: ['ada.testperson@example.org', 'bart.placeholder@example.com'],
    fromNames: ['Ada Testperson', 'Bartholomew Placeholder'],
    problems: ['several From headers', 'several From addresses'],
  },
  'from-several-addresses.eml': {
    from: ['ada.testperson@example.org', 'bart.placeholder@example.com'],
    fromNames: ['Ada Testperson', 'Placeholder, Bartholomew'],
    problems: ['several From addresses'],
  },
  'group-syntax.eml': {
    from: ['zoe.fictional@example.org'],
    to: ['housing@council.example', 'repairs@council.example', 'customer.services@council.example'],
    cc: ['cllr.example@council.example'],
    problems: [],
  },
  'malformed-missing-boundary.eml': {
    ...ada,
    textHas: ['pothole outside number 4'],
    attachments: [{ filename: 'pothole.jpg', contentType: 'image/jpeg', size: 570 }],
    problems: ['the closing MIME boundary is missing (the message may have been cut short)'],
  },
  'malformed-bad-transfer-encoding.eml': {
    ...ada,
    textHas: ['street light on Oak Avenue'],
    problems: ['an unknown Content-Transfer-Encoding (that part was read as it is)'],
  },
  'malformed-broken-base64.eml': {
    ...ada,
    textHas: ['The bench in the park is broken.'],
    attachments: [{ filename: 'bench.pdf', contentType: 'application/pdf', size: 223 }],
    problems: [notDecoded],
  },
  'malformed-multipart-no-boundary.eml': {
    ...ada,
    subject: 'Multipart without a boundary',
    problems: ['a multipart message without a boundary (its parts could not be read)', 'no readable text'],
  },
  'nul-bytes.eml': {
    ...ada,
    subject: 'Nul byte in subject',
    textHas: ['There is a NUL byte here: and the text goes on about the allotment.'],
    problems: ['contains NUL bytes'],
  },
  '8bit-garbage.eml': {
    ...ada,
    subject: 'Garbage body',
    textHas: ['Start of text.', 'End of text.'],
    problems: ['contains NUL bytes', notDecoded],
  },
  'emoji-rtl.eml': {
    from: ['sarah.dugma@example.org'],
    fromNames: ['שרה דוגמה'],
    subject: 'שלום 👋 مرحبا — bins 🗑️',
    textHas: ['שלום! The bins 🗑️ were not collected. مرحبا، شكرا 🙏'],
    problems: [],
  },
  'auto-reply.eml': {
    from: ['bart.placeholder@example.com'],
    subject: 'Automatic reply: Your enquiry CMP-10001',
    autoSubmitted: 'auto-replied',
    isListMail: false,
    problems: [],
  },
  'list-bulk.eml': {
    from: ['newsletter@lists.example.org'],
    precedence: 'bulk',
    isListMail: true,
    textHas: ['village fete'],
    problems: [],
  },
  'bounce-dsn.eml': {
    from: ['MAILER-DAEMON@mx.example.com'],
    to: ['screening@council.example'],
    subject: 'Undelivered Mail Returned to Sender',
    // The delivery status is text (mailparser's default); the returned headers are an attachment.
    textHas: ['could not\nbe delivered', 'Status: 5.1.1'],
    attachments: [{ contentType: 'text/rfc822-headers', size: 139 }],
    isDeliveryReport: true,
    problems: [],
  },
  'reply-to-differs.eml': {
    ...ada,
    replyTo: ['ada.personal@example.com', 'second.reply@example.net.example'],
    cc: ['zoe.fictional@example.org'],
    problems: [],
  },
  'case-reference.eml': {
    from: ['zoe.fictional@example.org'],
    subject: 'RE: [CMP-12345] Missed bin collection - Elm Road',
    textHas: ['CMP-12345 has been logged'],
    problems: [],
  },
  'bad-date.eml': {
    ...ada,
    subject: 'Unreadable date',
    problems: ['an unreadable Date header'],
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseInboundMail: the corpus', () => {
  it('has an expectation for every file, and a file for every expectation', () => {
    expect(mailFixtureNames()).toEqual(Object.keys(corpus).sort());
  });

  it.each(Object.entries(corpus))('%s', async (name, expected) => {
    const raw = readMailFixture(name);
    const mail = await parseInboundMail(Readable.from([raw]));

    const { textHas = [], textHasNot = [], problems, ...fields } = expected;
    expect(mail).toMatchObject(fields);
    expect([...mail.problems].sort()).toEqual([...problems].sort());
    for (const words of textHas) expect(mail.text).toContain(words);
    for (const words of textHasNot) expect(mail.text).not.toContain(words);
    expect(mail.sizeBytes).toBe(raw.length);
    expect(mail.fromNames).toHaveLength(mail.from.length);
    expect(mail.textTruncated).toBe(false);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control characters may be left
    expect(mail.subject ?? '').not.toMatch(/[\u0000-\u001f\u007f]/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: tab and newline are all the text keeps
    expect(mail.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('gives the same result whatever the chunking of the stream (3-byte chunks)', async () => {
    for (const name of mailFixtureNames()) {
      const raw = readMailFixture(name);
      const whole = await parseInboundMail(Readable.from([raw]));
      expect(await parseInboundMail(inChunks(raw, 3)), name).toEqual(whole);
    }
  });

  it('re-reads raw 8-bit headers the same when they arrive a byte at a time', async () => {
    for (const name of ['raw-latin1-8bit.eml', 'shift-jis.eml', 'nul-bytes.eml']) {
      const raw = readMailFixture(name);
      const whole = await parseInboundMail(Readable.from([raw]));
      expect(await parseInboundMail(inChunks(raw, 1)), name).toEqual(whole);
    }
  });

  it('logs nothing of the mail (P7)', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    for (const name of mailFixtureNames()) await parseInboundMail(Readable.from([readMailFixture(name)]));
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('parseInboundMail: limits and failures', () => {
  it('cuts the text at maxTextChars and says so', async () => {
    const mail = await parseInboundMail(Readable.from([readMailFixture('plain-utf8.eml')]), {
      maxTextChars: 40,
    });
    expect(mail.text.length).toBeLessThanOrEqual(40);
    expect(mail.text.startsWith('Bore da,')).toBe(true);
    expect(mail.textTruncated).toBe(true);
  });

  it('cuts HTML-derived text at maxTextChars as well', async () => {
    const mail = await parseInboundMail(Readable.from([readMailFixture('html-only.eml')]), {
      maxTextChars: 12,
    });
    expect(mail.text).toBe('I received a');
    expect(mail.textTruncated).toBe(true);
  });

  it('reads hostile HTML in one pass (no quadratic search on unclosed elements or long runs)', async () => {
    const html = [
      '<style>'.repeat(100_000),
      '<div>'.repeat(100_000),
      '<'.repeat(10_000),
      ' '.repeat(1_000_000),
      'Complaint CMP-77777 about the playground',
      '<!--'.repeat(10_000),
    ].join('');
    const raw = `From: ada.testperson@example.org\r\nContent-Type: text/html\r\n\r\n${html}\r\n`;
    const mail = await parseInboundMail(Readable.from([Buffer.from(raw)]));
    expect(mail.text).toMatch(/^<+ Complaint CMP-77777 about the playground$/);
    expect(mail.textTruncated).toBe(false);
  });

  it('reads a header line of 100 KB, cuts the subject at 998 characters and says so', async () => {
    const mail = await parseInboundMail(Readable.from([messageWithLongHeaderLine(100 * 1024)]));
    expect(mail.from).toEqual(['ada.testperson@example.org']);
    expect(mail.to).toEqual(['customer.services@council.example']);
    expect(mail.subject).toHaveLength(998);
    expect(mail.subject?.startsWith('Long subject Long subject')).toBe(true);
    expect(mail.text).toBe('A message with one very long header line.');
    expect(mail.problems).toEqual(['a header line longer than 998 characters']);
  });

  it('gives what it read, and says so, when the parser gives up halfway (more than 1000 parts)', async () => {
    let raw = 'From: ada.testperson@example.org\r\nSubject: Many parts\r\n';
    raw += 'Content-Type: multipart/mixed; boundary=b\r\n\r\n';
    for (let part = 0; part < 1100; part++) raw += `--b\r\nContent-Type: text/plain\r\n\r\npart ${part}\r\n`;
    const mail = await parseInboundMail(Readable.from([Buffer.from(`${raw}--b--\r\n`)]));
    expect(mail.from).toEqual(['ada.testperson@example.org']);
    expect(mail.subject).toBe('Many parts');
    expect(mail.problems).toContain(
      'the message could not be read to the end (text and attachments may be missing)',
    );
  });

  const unreadable: [string, () => Readable, RegExp][] = [
    ['an empty stream', () => Readable.from([]), /empty/],
    ['blank lines only', () => Readable.from([Buffer.from('\r\n\r\n   \r\n')]), /no header fields/],
    [
      'text that is not a message',
      () => Readable.from([Buffer.from('Dear council,\r\nHelp.\r\n')]),
      /no header/,
    ],
    [
      'binary bytes',
      () => Readable.from([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 0x0a, 0x80])]),
      /no header/,
    ],
    [
      'a header block over 1 MB',
      () =>
        Readable.from([
          Buffer.from(
            `From: secret.person@example.org\r\nX-Padding: ${'Secret '.repeat(160_000)}\r\n\r\nx\r\n`,
          ),
        ]),
      /header could not be read/,
    ],
  ];

  it.each([
    [
      'a stream that fails at once',
      () =>
        new Readable({
          read() {
            this.destroy(new Error('socket hang up'));
          },
        }),
      /socket hang up/,
    ],
    [
      'a stream that fails after the header',
      () =>
        failingStream(
          Buffer.from('From: secret.person@example.org\r\nSubject: Secret subject\r\n\r\nSecret'),
        ),
      /connection reset/,
    ],
  ] as const)(
    'passes the store failing mid-read (%s) up unchanged, so the invocation is retried',
    async (_, stream, message) => {
      const error = await parseInboundMail(stream()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(MailParseError);
      expect((error as Error).message).toMatch(message);
    },
  );

  it.each(unreadable)(
    'throws MailParseError, quoting nothing of the mail, for %s',
    async (_, stream, message) => {
      const error = await parseInboundMail(stream()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MailParseError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/secret|dear|help/i);
    },
  );
});

describe('parseInboundMail: bounded memory', () => {
  /** The growth of the process's resident memory while `work` runs, in bytes. */
  async function rssGrowth(work: () => Promise<void>): Promise<number> {
    const before = process.memoryUsage().rss;
    const highWaterBefore = process.resourceUsage().maxRSS * 1024;
    let sampled = before;
    // Sampling misses synchronous peaks; the kernel's high-water mark does not, once it is passed.
    const timer = setInterval(() => {
      sampled = Math.max(sampled, process.memoryUsage().rss);
    }, 5);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    const highWater = process.resourceUsage().maxRSS * 1024;
    return Math.max(sampled, highWater > highWaterBefore ? highWater : 0) - before;
  }

  it('streams a 40 MB message with a 39 MB attachment without holding it', async () => {
    const { stream, decodedBytes } = messageWithLargeAttachment(39 * MB);
    let mail: ParsedInboundMail | undefined;
    const growth = await rssGrowth(async () => {
      mail = await parseInboundMail(stream);
    });
    expect(mail?.sizeBytes).toBeGreaterThan(39 * MB);
    expect(mail?.attachments).toEqual([
      { filename: 'photos.zip', contentType: 'application/zip', size: decodedBytes },
    ]);
    expect(mail?.text).toBe('The photos are attached.');
    expect(mail?.problems).toEqual([]);
    expect(growth).toBeLessThan(150 * MB);
  });

  it('does not grow with the attachment: 160 MB (four times what SES accepts) stays under the same bound', async () => {
    // Streaming measures under 60 MB whatever the size. An RSS bound alone cannot tell a held 30 MB
    // attachment from GC slack at 40 MB (held: about 100 MB), but at 160 MB holding it measures over 200 MB.
    const { stream, decodedBytes } = messageWithLargeAttachment(160 * MB);
    let mail: ParsedInboundMail | undefined;
    const growth = await rssGrowth(async () => {
      mail = await parseInboundMail(stream);
    });
    expect(mail?.attachments[0]?.size).toBe(decodedBytes);
    expect(growth).toBeLessThan(150 * MB);
  });

  it('keeps maxTextChars of a 40 MB plain-text body', async () => {
    let mail: ParsedInboundMail | undefined;
    const growth = await rssGrowth(async () => {
      mail = await parseInboundMail(messageWithLongText(40 * MB));
    });
    expect(mail?.sizeBytes).toBeGreaterThan(40 * MB);
    expect(mail?.text).toHaveLength(65_536);
    expect(mail?.textTruncated).toBe(true);
    // mailparser holds a text part whole before it hands it over: bounded, but not small.
    expect(growth).toBeLessThan(200 * MB);
  });
});
