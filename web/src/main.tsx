import { render } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { Api, type AuthError } from './api';
import { useBridge } from './useBridge';
import { ChatList } from './components/ChatList';
import { ChatHeader, Conversation } from './components/Conversation';
import { Composer } from './components/Composer';
import { Login } from './components/Login';
import { SearchBox, SearchResults } from './components/Search';
import type { Fate, SearchHit } from './types';
import './style.css';

// The token lives in sessionStorage (this tab only): never in a URL, a cookie or localStorage.
const TOKEN_KEY = 'imb.token';

function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [authError, setAuthError] = useState<string | null>(null);
  const signOut = useCallback((why: string | null) => { sessionStorage.removeItem(TOKEN_KEY); setToken(null); setAuthError(why); }, []);
  const api = useMemo(() => (token ? new Api(token) : null), [token]);
  if (!api) return <Login error={authError} onToken={(t) => { sessionStorage.setItem(TOKEN_KEY, t); setAuthError(null); setToken(t); }} />;
  return <Client key={token} api={api} signOut={signOut} />;
}

function Client({ api, signOut }: { api: Api; signOut: (why: string | null) => void }) {
  const b = useBridge(api, signOut);
  const [search, setSearch] = useState<{ q: string; hits: SearchHit[] | null; error?: string }>({ q: '', hits: null });
  const current = b.chats.find((c) => c.guid === b.selected);
  const fates = new Map<string, Fate>();
  for (const s of b.sends) if (s.fate.state === 'sent') fates.set(s.fate.messageGuid, s.fate);
  return (
    <div class="layout">
      <aside>
        <header class="side-header">
          <strong>Messages</strong>
          <span class={`status ${b.connected ? 'on' : 'off'}`} title={b.connected ? 'Live updates connected' : 'Reconnecting…'}>{b.connected ? 'Live' : 'Offline'}</span>
          <button class="link" onClick={() => signOut(null)}>Sign out</button>
        </header>
        <SearchBox api={api} onResults={setSearch} onAuthError={(e: AuthError) => signOut(e.message)} />
        {search.hits
          ? <SearchResults q={search.q} hits={search.hits} error={search.error} onClose={() => setSearch({ q: '', hits: null })}
              onOpen={(h) => void b.open(h.chat.guid, { guid: h.guid, rowid: h.rowid })} />
          : <ChatList chats={b.chats} selected={b.selected} unread={b.unread} onSelect={(g) => void b.open(g)} />}
      </aside>
      <main>
        {b.error && <div class="banner error" role="alert">{b.error} <button class="link" onClick={b.dismissError}>Dismiss</button></div>}
        {current ? (
          <>
            <ChatHeader chat={current} />
            <Conversation api={api} chat={current} messages={b.messages} focus={b.focus} fates={fates} onEarlier={() => void b.loadEarlier()} />
            <Composer sends={b.sends.filter((s) => s.chat === current.guid)} onSend={b.send} />
          </>
        ) : <p class="empty pick">Pick a conversation on the left.</p>}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
