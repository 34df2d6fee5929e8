/**
 * The words of an HTML body, for topic detection when a message has no plain text part. Never a
 * renderer: nothing in the HTML is run, fetched or kept as markup.
 *
 * Written here rather than taken from `html-to-text` (which mailparser brings): that library reads HTML as a
 * browser does, so an unclosed <style> or <script> swallows the rest of the body and a broken or hostile
 * message gives no words at all (P1: its topic must still be read); it also keeps &nbsp; as U+00A0, and
 * overflows the stack on deeply nested elements unless given a depth limit.
 */

const SKIPPED_ELEMENTS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);
const CELL_ELEMENTS = new Set(['td', 'th']);
/** How much text between two tags is decoded in one go. */
const HTML_TEXT_WINDOW = 64 * 1024;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  pound: '£',
  euro: '€',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
};

/**
 * The words of an HTML body, in one linear pass: tags, comments and the contents of script and
 * style elements are dropped, common entities decoded. Good enough for topic detection, and
 * never a renderer: nothing in the HTML is run or fetched. Stops after `limit` characters.
 */
export function htmlToText(html: string, limit: number): { text: string; truncated: boolean } {
  const out: string[] = [];
  let length = 0;
  const emit = (value: string) => {
    out.push(value);
    length += value.length;
  };
  const unclosed = new Set<string>();
  let nextTag = html.indexOf('<');
  let pos = 0;
  while (pos < html.length) {
    if (length > limit) return { text: collapseLines(out.join('')), truncated: true };
    if (nextTag !== -1 && nextTag < pos) nextTag = html.indexOf('<', pos);
    const textEnd = nextTag === -1 ? html.length : nextTag;
    if (textEnd > pos) {
      // Text between tags, a window at a time so that a huge run is never copied whole.
      const end = Math.min(textEnd, pos + HTML_TEXT_WINDOW);
      emit(decodeEntities(html.slice(pos, end)).replace(/\s+/g, ' '));
      pos = end;
      continue;
    }
    if (html.startsWith('<!--', pos)) {
      const end = html.indexOf('-->', pos + 4);
      pos = end === -1 ? html.length : end + 3;
      continue;
    }
    const tag = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(pos, pos + 64));
    if (!tag && !/^<[!?/]/.test(html.slice(pos, pos + 2))) {
      emit('<'); // a '<' that opens no tag is text
      pos += 1;
      continue;
    }
    const close = html.indexOf('>', pos);
    if (close === -1) break; // an unclosed tag runs to the end
    const name = tag?.[1]?.toLowerCase() ?? '';
    const isEndTag = html[pos + 1] === '/';
    pos = close + 1;
    if (!isEndTag && SKIPPED_ELEMENTS.has(name) && !unclosed.has(name)) {
      const endTag = new RegExp(`</${name}\\s*>`, 'gi');
      endTag.lastIndex = pos;
      const found = endTag.exec(html);
      if (found) pos = found.index + found[0].length;
      else unclosed.add(name); // never search again: each search would read to the end (quadratic)
    } else if (BLOCK_ELEMENTS.has(name) && out[out.length - 1] !== '\n') emit('\n');
    else if (CELL_ELEMENTS.has(name)) emit(' ');
  }
  return { text: collapseLines(out.join('')), truncated: length > limit };
}

/** Runs of spaces made one, and no spaces around line breaks. */
function collapseLines(text: string): string {
  return text.replace(/ {2,}/g, ' ').replace(/ ?\n ?/g, '\n');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : '\uFFFD';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
