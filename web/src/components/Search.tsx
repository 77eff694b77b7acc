import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { AuthError } from '../api';
import type { SearchHit } from '../types';
import { chatTitle, decodeEntities, timeOf } from '../format';

export function SearchBox({ api, onResults, onAuthError }: { api: Api; onResults: (r: { q: string; hits: SearchHit[] | null; error?: string }) => void; onAuthError: (e: AuthError) => void }) {
  const [q, setQ] = useState('');
  return (
    <form class="search" role="search" onSubmit={async (e) => {
      e.preventDefault();
      if (!q.trim()) { onResults({ q: '', hits: null }); return; }
      try { onResults({ q, hits: await api.search(q.trim()) }); } catch (err) {
        if (err instanceof AuthError) onAuthError(err); else onResults({ q, hits: [], error: (err as Error).message });
      }
    }}>
      <input type="search" name="q" aria-label="Search messages" placeholder="Search" value={q} onInput={(e) => { setQ(e.currentTarget.value); if (!e.currentTarget.value) onResults({ q: '', hits: null }); }} />
    </form>
  );
}

export function SearchResults({ q, hits, error, onOpen, onClose }: { q: string; hits: SearchHit[]; error?: string; onOpen: (h: SearchHit) => void; onClose: () => void }) {
  return (
    <section class="results" aria-label="Search results">
      <header><span>{error ? 'Search failed' : `${hits.length} result${hits.length === 1 ? '' : 's'} for “${q}”`}</span><button class="link" onClick={onClose}>Done</button></header>
      {error && <p class="error">{error}</p>}
      <ul>
        {hits.map((h) => (
          <li key={h.guid}>
            <button class="result" data-guid={h.guid} onClick={() => onOpen(h)}>
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
