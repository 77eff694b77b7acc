import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Api, AuthError, NetworkError } from './api';
import { useBridge } from './useBridge';
import { go, useRoute } from './route';
import { notifyIncoming, notifyOn, notifySupported, toggleNotify } from './notify';
import { isSms, chatTitle, namesFrom } from './format';
import { ChatList } from './components/ChatList';
import { ChatHeader, Conversation } from './components/Conversation';
import { Composer } from './components/Composer';
import { Login } from './components/Login';
import { NewChat } from './components/NewChat';
import { SearchBox, SearchResults, type SearchState } from './components/Search';
import { Viewer } from './components/Viewer';
import type { Fate, MessageJson } from './types';
import './style.css';

// The token lives in sessionStorage (this tab only): never in a URL, a cookie or localStorage.
const TOKEN_KEY = 'imb.token';
const TITLE = 'iMessage bridge';

function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [authError, setAuthError] = useState<string | null>(null);
  const signOut = useCallback((why: string | null) => { sessionStorage.removeItem(TOKEN_KEY); setToken(null); setAuthError(why); }, []);
  const api = useMemo(() => (token ? new Api(token) : null), [token]);
  if (!api) {
    return <Login error={authError} onToken={async (t) => {
      // Checked before it is kept, so a wrong token never lands in storage.
      try { await new Api(t).chats(); } catch (e) {
        setAuthError(e instanceof AuthError || e instanceof NetworkError ? e.message : `The bridge refused to sign in: ${(e as Error).message}`);
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, t); setAuthError(null); setToken(t);
    }} />;
  }
  return <Client key={token} api={api} signOut={signOut} />;
}

function Client({ api, signOut }: { api: Api; signOut: (why: string | null) => void }) {
  const b = useBridge(api, { signOut, onIncoming: notifyIncoming });
  const route = useRoute();
  const [search, setSearch] = useState<SearchState>({ q: '', hits: null });
  const [replyTo, setReplyTo] = useState<MessageJson | null>(null);
  const [viewing, setViewing] = useState<{ url: string; name: string } | null>(null);
  const [notify, setNotify] = useState(notifyOn);
  const selected = route.view === 'chat' ? route.chat : null;
  const nameOf = useMemo(() => namesFrom(b.chats), [b.chats]);

  useEffect(() => { if (selected !== (b.conv?.chat ?? null) || !b.conv) void b.open(selected); setReplyTo(null); }, [selected]);
  const total = [...b.unread.values()].reduce((a, n) => a + n, 0);
  useEffect(() => { document.title = total ? `(${total}) ${TITLE}` : TITLE; }, [total]);

  // A chat's header comes from the chat list; a chat only in the hash (not
  // loaded yet, or unknown) gets its guid until the list says more.
  const current = selected ? b.chats.find((c) => c.guid === selected) ?? (b.conv?.chat === selected ? { guid: selected, service: '', display_name: null, is_group: false, participants: [], last_message_at: null } : undefined) : undefined;
  const conv = b.conv && b.conv.chat === selected ? b.conv : null;
  const fates = new Map<string, Fate>();
  for (const s of b.sends) if (s.fate.state === 'sent') fates.set(s.fate.messageGuid, s.fate);
  const offline = !b.reachable || conv?.state === 'offline';
  const onSearchError = (e: unknown): boolean => {
    if (e instanceof AuthError) { signOut(e.message); return true; }
    return false;
  };
  return (
    <div class={`layout${route.view === 'list' ? '' : ' has-main'}`}>
      <aside aria-label="Conversations">
        <header class="side-header">
          <h1>Messages</h1>
          <span class={`status ${b.connected ? 'on' : 'off'}`} role="status" title={b.connected ? 'Live updates connected' : 'Reconnecting…'}>{b.connected ? 'Live' : 'Offline'}</span>
          {notifySupported() && (
            <button type="button" class="icon-btn" aria-pressed={notify} aria-label="Notify me of new messages while this tab is hidden"
              title={notify ? 'Notifications on' : 'Notifications off'} onClick={() => void toggleNotify().then(setNotify)}>{notify ? '🔔' : '🔕'}</button>
          )}
          <button type="button" class="icon-btn" aria-label="New message" title="New message" onClick={() => go({ view: 'new' })}>✎</button>
          <button type="button" class="link" onClick={() => signOut(null)}>Sign out</button>
        </header>
        <SearchBox api={api} chats={b.chats} onResults={setSearch} onError={onSearchError} />
        {search.hits
          ? <SearchResults q={search.q} hits={search.hits} error={search.error} onClose={() => setSearch({ q: '', hits: null })}
              onOpen={(h) => { go({ view: 'chat', chat: h.chat.guid }); void b.open(h.chat.guid, { guid: h.guid, rowid: h.rowid }); }} />
          : <ChatList chats={b.chats} loaded={b.chatsLoaded} selected={selected} unread={b.unread} last={b.last} onSelect={(g) => go({ view: 'chat', chat: g })} nameOf={nameOf} />}
      </aside>
      <main class={current && isSms(current.service) ? 'sms' : undefined}>
        {b.error && <div class="banner error" role="alert">{b.error} <button type="button" class="link" onClick={b.dismissError}>Dismiss</button></div>}
        {offline && <div class="banner offline" role="status">The bridge can’t be reached right now{conv?.state === 'offline' ? ': these are the messages saved in this tab' : ''}. This page reconnects by itself.</div>}
        {route.view === 'new' ? (
          <NewChat chats={b.chats} canSend={b.canSend} onCancel={() => go({ view: 'list' })} onOpen={(g) => go({ view: 'chat', chat: g }, true)}
            onSend={(to, text) => b.send({ to }, text)} />
        ) : current && conv ? (
          <>
            <ChatHeader chat={current} offline={conv.state === 'offline'} onBack={() => go({ view: 'list' })} />
            <Conversation api={api} chat={current} conv={conv} focus={b.focus} fates={fates} onEarlier={() => void b.loadEarlier()}
              onReply={setReplyTo} onView={(url, name) => setViewing({ url, name })} nameOf={nameOf} />
            <Composer chatTitle={chatTitle(current)} sms={isSms(current.service)} canSend={b.canSend} sends={b.sends.filter((s) => s.chat === current.guid)}
              replyTo={replyTo} onCancelReply={() => setReplyTo(null)} onSend={(text, files) => b.send({ chat: current.guid }, text, files)} />
          </>
        ) : <p class="empty pick">{selected && b.chatsLoaded ? 'This conversation is not in chat.db.' : 'Pick a conversation.'}</p>}
      </main>
      {viewing && <Viewer url={viewing.url} name={viewing.name} onClose={() => setViewing(null)} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
