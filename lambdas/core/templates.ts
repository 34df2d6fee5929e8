/**
 * The texts of automatic replies. They never say whether anyone is restricted (P4): the
 * standard acknowledgement is the same for everyone, and the 7.3.2 notice goes only to the
 * customer's registered address.
 */
export interface CouncilDetails {
  councilName: string;
  postalAddress: string;
}

export function standardAcknowledgement(council: CouncilDetails, reference: string, subject?: string) {
  return {
    subject: `We have received your message${subject ? `: ${subject}` : ''} [${reference}]`,
    text: [
      'Thank you for your message. It has been received and passed to the team that deals with it.',
      '',
      `Your reference is ${reference}. Please quote it if you contact us about the same matter.`,
      '',
      'This is an automatic reply; there is no need to answer it.',
      '',
      council.councilName,
    ].join('\n'),
  };
}

/** 7.3.2: email is not accepted from this customer; say how to write instead. It is still read (9.1). */
export function emailNotAcceptedNotice(
  council: CouncilDetails,
  reference: string,
  writeTo?: string,
  channel: 'email' | 'web-form' = 'email',
) {
  return {
    subject: `Please write to us by letter [${reference}]`,
    text: [
      channel === 'email'
        ? 'We have received your email.'
        : 'We have received the message you sent through our website.',
      '',
      'As we explained when we wrote to you about how you may contact us, we do not accept',
      'email or online messages from you at present. Please send any further correspondence',
      'by letter to:',
      '',
      writeTo ?? council.postalAddress,
      '',
      'Your message has not been ignored: it has been passed to the member of staff who reads',
      `your correspondence. Your reference is ${reference}.`,
      '',
      'If you think this arrangement is wrong, you can ask us to review it, and you can',
      'contact the Local Government and Social Care Ombudsman.',
      '',
      'This is an automatic reply.',
      '',
      council.councilName,
    ].join('\n'),
  };
}
