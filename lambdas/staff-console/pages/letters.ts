import { readLetter } from '../../core/register';
import type { ConsolePage } from '../types';
import { renderPage } from '../views/page';
import type { ConsoleDeps } from './deps';
import { letterInFrame } from './letter-frame';
import { personOf } from './present';
import { notFound, orNotFound } from './respond';

/**
 * An informing letter (8.1) as it was written: framed in the console, as the stored HTML
 * (`?format=html`, to print) or as the PDF (`?format=pdf`, a download). Letters are kept
 * unchanged, so this is exactly what was sent.
 */
export const letterPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/letters/:id',
    permission: 'letters',
    async handle(request, deps) {
      const letter = await orNotFound(readLetter(request.params.id ?? '', deps.register));
      if (!letter) return notFound(request, 'letter');
      const safeName = letter.reference.replace(/[^\w-]/g, '');
      if (request.query.format === 'pdf') {
        return {
          kind: 'file',
          contentType: 'application/pdf',
          body: Buffer.from(letter.pdf),
          filename: `${safeName}.pdf`,
        };
      }
      if (request.query.format === 'html') {
        return { kind: 'file', contentType: 'text/html; charset=utf-8', body: letter.html, inline: true };
      }
      const customer = await deps.register.store.loadCustomer(letter.customerId);
      return renderPage(request, 'letter.njk', {
        title: letter.subject,
        letter,
        customer: customer?.customer,
        writtenBy: personOf(letter.createdBy),
        letterHtml: letterInFrame(letter.html),
      });
    },
  },
];
