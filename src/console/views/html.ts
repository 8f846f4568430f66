/**
 * HTML built by tagged templates: every interpolated value is escaped unless it is already Html (the
 * output of another `html` template or of `raw`), so partner-supplied text can never become markup.
 */
export class Html {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | ReadonlyArray<Part>;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) {
    return '';
  }
  if (part instanceof Html) {
    return part.value;
  }
  if (Array.isArray(part)) {
    return (part as ReadonlyArray<Part>).map(render).join('');
  }
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < parts.length; i++) {
    out += render(parts[i]) + strings[i + 1];
  }
  return new Html(out);
}

/** Markup written by the console itself (never partner data). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`
    : '';
}
