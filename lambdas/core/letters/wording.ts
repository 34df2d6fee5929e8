/** Small wording helpers the letters share: lists, paragraphs and addresses as a letter prints them. */

/** `a`, `a or b`, `a, b and c`. */
export function listInWords(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** Free text entered by staff: blank lines separate paragraphs; single line breaks are kept as spaces. */
export function paragraphsOf(value: string): string[] {
  return value
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph.length > 0);
}

/** An address held on one line (`Council Offices, The Campus, Example Town, AL10 0ZZ`) or on several. */
export function addressLines(value: string): string[] {
  return value
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The register keeps postcodes compact (`AL100ZZ`); a letter prints them with their space (`AL10 0ZZ`). */
export function postcodeForPrint(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** The customer's address lines, with the postcode added unless the address already ends in it. */
export function recipientAddressLines(address: string | undefined, postcode: string | undefined): string[] {
  const lines = address ? addressLines(address) : [];
  if (postcode) {
    const printed = postcodeForPrint(postcode);
    const compact = printed.replace(/\s+/g, '');
    if (!lines.some((line) => line.replace(/\s+/g, '').toUpperCase().includes(compact))) lines.push(printed);
  }
  return lines;
}
