import type { ConsolePage } from '../types';
import { londonDateTime } from '../views/dates';
import { renderPage } from '../views/page';
import { customerHref, tagHtml } from './cells';
import type { ConsoleDeps } from './deps';
import { channelLabels, routeLabels, signalTagOf } from './present';
import { notFound } from './respond';

/** One screened contact by its reference: where it went and why, with clauses (P3); never its body (P7). */
export const contactPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/contacts/:reference',
    permission: 'view',
    async handle(request, deps) {
      const contact = await deps.readContact(request.params.reference ?? '');
      if (!contact) return notFound(request, 'screened contact');
      const rows: Array<[string, string]> = [
        ['Received', londonDateTime(contact.receivedAt)],
        ['Channel', channelLabels[contact.channel] ?? contact.channel],
        ['Sent to', `${routeLabels[contact.route] ?? contact.route}: ${contact.recipients.join(', ')}`],
      ];
      if (contact.copyTo?.length) rows.push(['Copied to', contact.copyTo.join(', ')]);
      if (contact.topic) rows.push(['Topic', contact.topic.label]);
      if (contact.counts) {
        rows.push([
          'Contacts counted',
          `${contact.counts.topic} on this topic, ${contact.counts.allTopics} on all topics, ${contact.counts.channels} channels`,
        ]);
      }
      const recorded = contact.recorded;
      if (recorded) {
        // A contact staff took (4.2.7): who took it and who it was from, as they wrote it down.
        rows.push(['Recorded by', recorded.recordedBy]);
        const caller = recorded.caller;
        if (caller)
          rows.push([
            'Caller',
            [caller.name, caller.phone, caller.email, caller.postcode].filter(Boolean).join(', '),
          ]);
        if (recorded.caseReference) rows.push(['Case reference', recorded.caseReference]);
      } else rows.push(['Sender verified', contact.senderVerified ? 'Yes' : 'No: the address may be forged']);
      // The flags without the words (P7): the words are in the forward, in the mailbox it went to.
      const flagRows = (contact.signals?.flags ?? []).map((flag) => [
        { html: tagHtml(signalTagOf(flag.category)) },
        { text: flag.confidence.toFixed(2) },
        { text: flag.clauses.join(', ') },
        {
          text: flag.evidence
            .map((e) => `characters ${e.sourceStart}–${e.sourceEnd} (${e.ruleId})`)
            .join('; '),
        },
      ]);
      return renderPage(request, 'contact.njk', {
        title: `Contact ${contact.reference}`,
        contact,
        flagRows,
        rows: rows.map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
        customers: await Promise.all(
          contact.customerIds.map(async (id) => ({
            href: customerHref(id),
            name: (await deps.register.store.loadCustomer(id))?.customer.name ?? id,
          })),
        ),
      });
    },
  },
];
