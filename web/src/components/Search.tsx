import { useState } from 'preact/hooks';
import type { Api, SearchFilter } from '../api';
import type { ChatJson, SearchHit } from '../types';
import { chatTitle, decodeEntities, timeOf } from '../format';

export interface SearchState { q: string; hits: SearchHit[] | null; error?: string }

/** A date input's day as the API's ISO bound: the start (from) or the end (to) of that local day. */
const dayBound = (day: string, end: boolean): string | undefined => {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d!, end ? 23 : 0, end ? 59 : 0, end ? 59 : 0, end ? 999 : 0).toISOString();
};

export function SearchBox({ api, chats, onResults, onError }: { api: Api; chats: ChatJson[]; onResults: (r: SearchState) => void; onError: (e: unknown) => boolean }) {
  const [q, setQ] = useState('');
  const [chat, setChat] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filtered = !!(chat || from || to);
  const run = async (): Promise<void> => {
    if (!q.trim()) { onResults({ q: '', hits: null }); return; }
    const f: SearchFilter = { chat: chat || undefined, from: dayBound(from, false), to: dayBound(to, true) };
    try { onResults({ q, hits: await api.search(q.trim(), f) }); } catch (err) {
      if (!onError(err)) onResults({ q, hits: [], error: (err as Error).message });
    }
  };
  return (
    <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); void run(); }}>
      <input type="search" name="q" aria-label="Search messages" placeholder="Search" value={q} onInput={(e) => { setQ(e.currentTarget.value); if (!e.currentTarget.value) onResults({ q: '', hits: null }); }} />
      <details class="filters">
        <summary>Filters{filtered ? ' (on)' : ''}</summary>
        <label>In <select name="chat" value={chat} onChange={(e) => setChat(e.currentTarget.value)}>
          <option value="">All chats</option>
          {chats.map((c) => <option key={c.guid} value={c.guid}>{chatTitle(c)}</option>)}
        </select></label>
        <label>From <input type="date" name="from-day" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>To <input type="date" name="to-day" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
        <button type="submit">Search</button>
      </details>
    </form>
  );
}

export function SearchResults({ q, hits, error, onOpen, onClose }: { q: string; hits: SearchHit[]; error?: string; onOpen: (h: SearchHit) => void; onClose: () => void }) {
  return (
    <section class="results" aria-label="Search results">
      <header><span role="status">{error ? 'Search failed' : `${hits.length} result${hits.length === 1 ? '' : 's'} for “${q}”`}</span><button type="button" class="link" onClick={onClose}>Done</button></header>
      {error && <p class="error">{error}</p>}
      <ul>
        {hits.map((h) => (
          <li key={h.guid}>
            <button type="button" class="result" data-guid={h.guid} onClick={() => onOpen(h)}>
              <span class="title">{chatTitle(h.chat)}</span>
              <span class="when">{timeOf(h.date)}</span>
              <Snippet html={h.snippet} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The API escapes the text and wraps hits in <mark>; render it as text + <mark>, never as HTML. */
function Snippet({ html }: { html: string }) {
  const parts = html.split(/<\/?mark>/);
  return <span class="snippet">{parts.map((p, i) => (i % 2 === 1 ? <mark key={i}>{decodeEntities(p)}</mark> : decodeEntities(p)))}</span>;
}
