import type { ConsolePage } from '../types';

/** A page's pattern (`/staff/customers/:id`) split into fixed segments and named ones. */
interface CompiledPage<D> {
  page: ConsolePage<D>;
  segments: Array<{ fixed: string } | { param: string }>;
}

export type RouteMatch<D> =
  | { kind: 'page'; page: ConsolePage<D>; params: Record<string, string> }
  /** The address exists, but not for this method: 405 with Allow. */
  | { kind: 'wrong-method'; allow: string[] }
  | { kind: 'none' };

const split = (path: string) => path.split('/').slice(1);

export function compilePages<D>(pages: readonly ConsolePage<D>[]): CompiledPage<D>[] {
  return pages.map((page) => ({
    page,
    segments: split(page.pattern).map((segment) =>
      segment.startsWith(':') ? { param: segment.slice(1) } : { fixed: segment },
    ),
  }));
}

function paramsFor<D>(compiled: CompiledPage<D>, parts: string[]): Record<string, string> | undefined {
  if (parts.length !== compiled.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of compiled.segments.entries()) {
    const part = parts[index] ?? '';
    if ('fixed' in segment) {
      if (segment.fixed !== part) return undefined;
      continue;
    }
    if (part === '') return undefined;
    try {
      params[segment.param] = decodeURIComponent(part);
    } catch {
      return undefined; // a malformed escape is no address of ours
    }
  }
  return params;
}

/** First matching page wins, as the pages are listed. */
export function matchPage<D>(pages: CompiledPage<D>[], method: string, path: string): RouteMatch<D> {
  const parts = split(path);
  const allow = new Set<string>();
  for (const compiled of pages) {
    const params = paramsFor(compiled, parts);
    if (!params) continue;
    if (compiled.page.method === method) return { kind: 'page', page: compiled.page, params };
    allow.add(compiled.page.method);
  }
  return allow.size > 0 ? { kind: 'wrong-method', allow: [...allow] } : { kind: 'none' };
}
