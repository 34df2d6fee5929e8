/**
 * Loaded into a child `npm start` (`node --import tsx --import ./test/helpers/ses-sent-log.ts`) by a
 * test that kills it: the SES emulator keeps sent mail in memory, which dies with the process, so
 * this writes one line per message the emulator accepts to `$SES_SENT_LOG` — synchronously, before
 * the emulator answers SendRawEmail, so that a line exists for everything a handler was told was
 * sent, however abruptly the process ends. Only the subject (it carries the contact reference) and
 * the process id are written.
 */
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface EmulatorStore {
  saveEmail(email: { subject: string }): void;
}

const file = process.env.SES_SENT_LOG;
if (file) {
  const require = createRequire(import.meta.url);
  // The module the emulator's handlers call saveEmail on (aws-ses-v2-local/dist/v1/sendRawEmail.js).
  const store = require('aws-ses-v2-local/dist/store') as EmulatorStore;
  if (typeof store.saveEmail !== 'function') throw new Error('aws-ses-v2-local has no saveEmail to watch');
  const save = store.saveEmail;
  store.saveEmail = (email) => {
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, subject: email.subject })}\n`);
    save(email);
  };
}
