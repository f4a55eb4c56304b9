/** A Content-Security-Policy header as directive -> sources. */
export type Csp = Record<string, string[]>;

/** Something a page makes the browser load or run, and the CSP directive that governs it. */
export interface PageReference {
  directive: 'script-src' | 'script-src-attr' | 'style-src' | 'style-src-attr' | 'img-src';
  /** Absolute URL of a loaded resource; absent for inline code. */
  url?: string;
  /** What in the page it is, for the failure message. */
  what: string;
}

/** Parses a CSP header (`a 'x' y; b z`) into directives. */
export function parseCsp(header: string | undefined): Csp {
  const csp: Csp = {};
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) {
      csp[name.toLowerCase()] = sources;
    }
  }
  return csp;
}

const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(2)
    .find((value) => value !== undefined);

/**
 * Lists what an HTML page references: scripts (external and inline, data blocks excepted),
 * stylesheets, `<style>`, `style=""` and `on...=""` attributes, icons and images; URLs resolved
 * against `<base href>` like a browser. Regex-based: enough for the pages this service serves.
 */
export function pageReferences(html: string, pageUrl: string): PageReference[] {
  const baseHref = /<base\s[^>]*>/i.exec(html)?.[0];
  const base = new URL((baseHref && attribute(baseHref, 'href')) ?? pageUrl, pageUrl).toString();
  const refs: PageReference[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const [, attrs, body] = match;
    const type = attribute(` ${attrs}`, 'type')?.toLowerCase();
    const src = attribute(` ${attrs}`, 'src');
    if (src) {
      refs.push({ directive: 'script-src', url: new URL(src, base).toString(), what: src });
    } else if ((!type || /javascript|module/.test(type)) && body.trim()) {
      refs.push({ directive: 'script-src', what: `inline script ${body.trim().slice(0, 40)}` });
    }
  }
  for (const match of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(match[0], 'rel')?.toLowerCase() ?? '';
    const href = attribute(match[0], 'href');
    if (href && rel.includes('stylesheet')) {
      refs.push({ directive: 'style-src', url: new URL(href, base).toString(), what: href });
    } else if (href && rel.includes('icon')) {
      refs.push({ directive: 'img-src', url: new URL(href, base).toString(), what: href });
    }
  }
  for (const match of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    refs.push({ directive: 'style-src', what: `inline <style> ${match[1].trim().slice(0, 40)}` });
  }
  for (const match of html.matchAll(/<img\b[^>]*>/gi)) {
    const src = attribute(match[0], 'src');
    if (src) {
      refs.push({ directive: 'img-src', url: new URL(src, base).toString(), what: src });
    }
  }
  for (const match of html.matchAll(/<[a-z][^>]*\sstyle\s*=[^>]*>/gi)) {
    refs.push({ directive: 'style-src-attr', what: `style attribute ${match[0].slice(0, 40)}` });
  }
  for (const match of html.matchAll(/<[a-z][^>]*\son[a-z]+\s*=[^>]*>/gi)) {
    refs.push({ directive: 'script-src-attr', what: `event handler ${match[0].slice(0, 40)}` });
  }
  return refs;
}

/** The sources of a directive, with CSP level 3's fallbacks down to `default-src`. */
function sourcesOf(csp: Csp, directive: PageReference['directive']): string[] {
  const chain = {
    'script-src': ['script-src', 'default-src'],
    'script-src-attr': ['script-src-attr', 'script-src', 'default-src'],
    'style-src': ['style-src', 'default-src'],
    'style-src-attr': ['style-src-attr', 'style-src', 'default-src'],
    'img-src': ['img-src', 'default-src'],
  }[directive];
  const found = chain.find((name) => csp[name] !== undefined);
  return found ? csp[found] : ['*'];
}

/**
 * Whether a browser would let the page load or run `ref` under `csp` (served from `selfOrigin`).
 * Covers the source expressions this service uses: 'self', 'none', 'unsafe-inline', scheme
 * sources (`data:`), host sources with a scheme (`https://fonts.gstatic.com`) and `*`.
 */
export function cspAllows(csp: Csp, ref: PageReference, selfOrigin: string): boolean {
  const sources = sourcesOf(csp, ref.directive);
  if (ref.url === undefined) {
    return sources.includes("'unsafe-inline'");
  }
  const url = new URL(ref.url);
  return sources.some((source) => {
    if (source === "'self'") {
      return url.origin === selfOrigin;
    }
    if (source === '*') {
      return url.protocol === 'http:' || url.protocol === 'https:';
    }
    if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) {
      return url.protocol === source.toLowerCase();
    }
    if (/^https?:\/\//i.test(source)) {
      return url.origin === new URL(source).origin;
    }
    return false;
  });
}
