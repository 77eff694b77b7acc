// Text ↔ Matrix HTML: links made clickable going out, formatted bodies and
// reply fallbacks turned back into the plain text iMessage can carry.
import { URL_RE } from '../../core/presentation/index.ts';

export { hasLink } from '../../core/presentation/index.ts';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text → HTML with links as <a>, newlines as <br>. */
export function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0];
    const at = m.index ?? 0;
    out += escapeHtml(text.slice(last, at));
    const href = url.toLowerCase().startsWith('www.') ? `https://${url}` : url;
    out += `<a href="${escapeHtml(href)}">${escapeHtml(url)}</a>`;
    last = at + url.length;
  }
  out += escapeHtml(text.slice(last));
  return out.replace(/\n/g, '<br>');
}


const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Matrix HTML → plain text: reply fallback dropped, links kept as "text (url)". */
export function htmlToText(html: string): string {
  let s = html.replace(/<mx-reply>[\s\S]*?<\/mx-reply>/gi, '');
  s = s.replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, inner: string) => {
    const label = inner.replace(/<[^>]+>/g, '');
    const url = decodeEntities(href);
    return decodeEntities(label) === url || url.startsWith('https://matrix.to/') ? label : `${label} (${url})`;
  });
  s = s.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6]|blockquote|pre)>/gi, '\n').replace(/<li[^>]*>/gi, '• ');
  s = s.replace(/<[^>]+>/g, '');
  return decodeEntities(s).replace(/\n{3,}/g, '\n\n').trim();
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Drop the "> <@user> quoted" lines Matrix clients prepend to reply bodies. */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  if (!lines[0]?.startsWith('> ')) return body;
  let i = 0;
  while (i < lines.length && (lines[i] as string).startsWith('>')) i++;
  if (lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/** Plain text of an incoming m.text/m.emote content. */
export function plainTextOf(content: { body?: unknown; format?: unknown; formatted_body?: unknown }): string {
  if (content.format === 'org.matrix.custom.html' && typeof content.formatted_body === 'string') return htmlToText(content.formatted_body);
  return typeof content.body === 'string' ? stripReplyFallback(content.body).trim() : '';
}
