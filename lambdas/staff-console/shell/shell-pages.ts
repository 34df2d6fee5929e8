import { highestRole, type Permission, permissions, roleLabels, roleNeeded } from '../../core/staff-roles';
import type { FieldProblem } from '../../core/validation';
import type { ConsoleResponse } from '../types';
import { renderPage } from '../views/page';
import type { FrameRequest } from './responses';

/**
 * The pages the shell itself answers with: refusals, failures and the signed-out page. Each says
 * what happened, whether anything was changed, and what to do next.
 */
const home = { href: '/staff/', text: 'Go to the home page' };
const signIn = { href: '/staff/sign-in', text: 'Sign in' };
const nothingChanged = 'Nothing was changed.';

const page = (
  frame: FrameRequest,
  status: number,
  title: string,
  paragraphs: string[],
  backLink?: { href: string; text: string },
): ConsoleResponse => renderPage(frame, 'error.njk', { title, paragraphs, backLink }, status);

export const notFoundPage = (frame: FrameRequest) =>
  page(
    frame,
    404,
    'Page not found',
    [
      'If you typed the web address, check it is correct.',
      'If you followed a link, the record may not exist or the link may be wrong.',
    ],
    home,
  );

export const wrongMethodPage = (frame: FrameRequest) =>
  page(
    frame,
    405,
    'This page cannot do that',
    [
      'The address exists but does not accept this kind of request.',
      `${nothingChanged} Use the links and buttons on the console's pages.`,
    ],
    home,
  );

/** 403 for a role that may not do this: names the role needed and the policy clause behind it. */
export function roleNeededPage(frame: FrameRequest, permission: Permission): ConsoleResponse {
  const needed = roleLabels[roleNeeded(permission)];
  const held = frame.user ? highestRole(frame.user.roles) : undefined;
  return page(
    frame,
    403,
    'You cannot do this',
    [
      `You need to be a ${needed} to do this (policy ${permissions[permission].clause}).`,
      ...(held ? [`You are signed in as a ${roleLabels[held]}. ${nothingChanged}`] : [nothingChanged]),
      `If this needs doing, ask a ${needed}.`,
    ],
    home,
  );
}

export const formRefusedPage = (frame: FrameRequest) =>
  page(
    frame,
    403,
    'The form could not be sent',
    [
      `The form did not come from a page of this console, or the page was opened before you last signed in. ${nothingChanged}`,
      'Go back, reload the page and try again.',
    ],
    home,
  );

export const formTooLargePage = (frame: FrameRequest, limitKb: number) =>
  page(frame, 413, 'The form is too large', [
    `A form can send at most ${limitKb} KB. ${nothingChanged}`,
    'Go back, shorten what you typed and try again.',
  ]);

export const notAFormPage = (frame: FrameRequest) =>
  page(frame, 415, 'The form could not be read', [
    `It was not sent as a web form. ${nothingChanged}`,
    'Go back and use the form on the page.',
  ]);

export const invalidPage = (frame: FrameRequest, problems: FieldProblem[]) =>
  page(frame, 400, 'The form has problems', [
    `${nothingChanged} Go back and correct these:`,
    ...problems.map((problem) => `${problem.field}: ${problem.problem}`),
  ]);

export const conflictPage = (frame: FrameRequest, message: string) =>
  page(
    frame,
    409,
    'This could not be done',
    [message, `${nothingChanged} Reload the page to see the record as it is now.`],
    home,
  );

export const failurePage = (frame: FrameRequest, reference: string) =>
  page(frame, 500, 'Sorry, there is a problem with the service', [
    'What you asked for could not be completed, and nothing you sent has been saved.',
    'Try again in a few minutes.',
    `If it keeps happening, tell the IT service desk and give them this reference: ${reference}.`,
  ]);

export const signedOutPage = (frame: FrameRequest) =>
  page(frame, 200, 'You have signed out', ['To use the staff console again, sign in.'], signIn);

/** For a request the browser made by itself (a script's fetch, an image) while signed out: no sign-in starts. */
export const signInNeededPage = (frame: FrameRequest) =>
  page(
    frame,
    401,
    'Sign in to use the staff console',
    ['You are not signed in, or your session has ended.'],
    signIn,
  );

/** Signed in at the provider, but in none of our groups: no session, no pages. */
export const noRolePage = (frame: FrameRequest) =>
  page(frame, 403, 'You do not have a console role', [
    'Your account is not a customer services officer, a service manager or a senior manager in the staff console, so you cannot use it.',
    'If you need to, ask your service manager to add your account to the right group.',
  ]);

export const signInIncompletePage = (frame: FrameRequest) =>
  page(
    frame,
    400,
    'Sign-in did not complete',
    [
      'The sign-in was cancelled, took longer than 10 minutes, or was started in another tab or window.',
      'Sign in again.',
    ],
    signIn,
  );

export const signInUnavailablePage = (frame: FrameRequest) =>
  page(frame, 503, 'Sign-in is not available at the moment', [
    "The council's sign-in service could not be reached.",
    'Try again in a few minutes. If it keeps happening, tell the IT service desk.',
  ]);
