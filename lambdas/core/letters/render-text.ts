import type { Letter } from './letter';

/** The plain-text version (email bodies, records): the same words, wrapped at 76 characters. */
export function letterText(letter: Letter): string {
  const out: string[] = [];
  const blank = () => out.push('');
  const para = (value: string) => {
    out.push(...wrap(value, 76));
    blank();
  };
  out.push(letter.council.name, ...letter.council.addressLines);
  if (letter.council.contactEmail) out.push(`Email: ${letter.council.contactEmail}`);
  if (letter.council.contactPhone) out.push(`Telephone: ${letter.council.contactPhone}`);
  blank();
  out.push(letter.recipient.name, ...letter.recipient.addressLines);
  blank();
  out.push(`Date: ${letter.dateText}`, `Our reference: ${letter.reference}`);
  blank();
  para(letter.salutation);
  para(letter.subject);
  for (const paragraph of letter.opening) para(paragraph);
  for (const section of letter.sections) {
    out.push(section.heading, '-'.repeat(Math.min(section.heading.length, 76)));
    for (const paragraph of section.paragraphs) para(paragraph);
  }
  out.push(
    letter.closing.valediction,
    '',
    letter.closing.signedBy,
    `on behalf of ${letter.closing.onBehalfOf}`,
  );
  return `${out.join('\n')}\n`;
}

function wrap(value: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of value.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
