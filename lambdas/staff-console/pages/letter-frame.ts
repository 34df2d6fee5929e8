/**
 * An informing letter's HTML (core/letters.ts `renderLetterHtml`, every text escaped there) shown
 * inside a console page: its body only, its landmarks and headings moved one level down so the
 * page keeps one main landmark and one h1. The stored letter itself is never changed.
 */
export function letterInFrame(documentHtml: string): string | undefined {
  const body = documentHtml.match(/<body>([\s\S]*)<\/body>/)?.[1];
  if (!body) return undefined;
  return body
    .replace('<header class="letterhead">', '<div class="letterhead">')
    .replace('</header>', '</div>')
    .replace('<main>', '<div>')
    .replace('</main>', '</div>')
    .replaceAll('<h2>', '<h3>')
    .replaceAll('</h2>', '</h3>')
    .replace('<h1>', '<h2 class="app-letter__subject">')
    .replace('</h1>', '</h2>')
    .trim();
}
