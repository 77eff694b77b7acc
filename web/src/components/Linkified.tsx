// Message text with http(s) links made clickable; everything stays text
// (never HTML), and links open without a referrer or opener.
import type { ComponentChild } from 'preact';

const URL_RE = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]}'’”]/g;

export function Linkified({ text }: { text: string }) {
  const out: ComponentChild[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    out.push(text.slice(at, m.index));
    out.push(<a key={m.index} href={m[0]} target="_blank" rel="noopener noreferrer">{m[0]}</a>);
    at = m.index + m[0].length;
  }
  out.push(text.slice(at));
  return <>{out}</>;
}
