/**
 * Find a customer as you type: the GET form's results region is refreshed from the same page the
 * form would load, so what the script shows is exactly what the server answers. Without the
 * script (or when anything fails) the form submits as usual.
 */
const waitMs = 350;
const minLength = 2;

export function enhanceLiveSearch(root: Document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-module="app-live-search"]')) {
    const input = form.querySelector<HTMLInputElement>('input[name="q"]');
    const resultsId = form.dataset.results;
    if (!input || !resultsId) continue;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest = 0;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const q = input.value.trim();
        if (q.length < minLength) return;
        latest += 1;
        void refresh(root, form, q, resultsId, latest, () => latest);
      }, waitMs);
    });
  }
}

async function refresh(
  root: Document,
  form: HTMLFormElement,
  q: string,
  resultsId: string,
  request: number,
  current: () => number,
): Promise<void> {
  const url = new URL(form.action, root.location.href);
  url.searchParams.set('q', q);
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (!response.ok || request !== current()) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.getElementById(resultsId);
    const shown = root.getElementById(resultsId);
    if (!fresh || !shown || request !== current()) return;
    shown.replaceChildren(...[...fresh.childNodes].map((node) => root.importNode(node, true)));
    // The address shows the search, as a submitted form would (a GET form by design).
    history.replaceState(null, '', url);
  } catch {
    // Leave the page as it is: submitting the form still works.
  }
}
