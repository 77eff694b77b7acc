import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, AuthError } from './api';
import { ChatList, Composer, Conversation, Login, SearchPanel, type PendingSend } from './components';
import { chatTitle } from './format';
import type { ChatJson, Fate, MessageJson } from './types';

// The token lives in sessionStorage (this tab only) — never in a URL or a cookie.
const TOKEN_KEY = 'imb.token';

function App() {
  const [token, setToken] = useState<string | null>(sessionStorage.getItem(TOKEN_KEY));
  const [authError, setAuthError] = useState<string | null>(null);
  const api = useMemo(() => (token ? new Api(token) : null), [token]);
  const [chats, setChats] = useState<ChatJson[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [messages, setMessages] = useState<MessageJson[]>([]);
  const [unread, setUnread] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<PendingSend[]>([]);

  const signOut = (why: string | null) => { sessionStorage.removeItem(TOKEN_KEY); setToken(null); setAuthError(why); };

  useEffect(() => {
    if (!api) return;
    api.chats().then(setChats).catch((e) => signOut(e instanceof AuthError ? e.message : `Cannot load chats: ${(e as Error).message}`));
  }, [api]);

  useEffect(() => {
    if (!api || !selected) return;
    setUnread((u) => { const n = new Set(u); n.delete(selected); return n; });
    api.messages(selected).then(setMessages).catch(() => setMessages([]));
  }, [api, selected]);

  // Live updates: new rows append (or replace an edited row); other chats get an unread marker.
  useEffect(() => {
    if (!api) return;
    const ctl = new AbortController();
    void api.stream((type, data) => {
      const d = data as { message?: MessageJson; fate?: Fate; id?: string } & Partial<MessageJson>;
      if (type === 'fate' && d.id && d.fate) {
        setPending((ps) => ps.map((p) => (p.id === d.id ? { ...p, fate: d.fate! } : p)));
        return;
      }
      const m = (d.message ?? (d.guid ? d : null)) as MessageJson | null;
      if (!m || !m.chat_guid) return;
      setChats((cs) => {
        const known = cs.find((c) => c.guid === m.chat_guid);
        const rest = cs.filter((c) => c.guid !== m.chat_guid);
        return known ? [{ ...known, last_message_at: m.date }, ...rest] : cs;
      });
      setSelected((sel) => {
        if (sel === m.chat_guid) {
          setMessages((ms) => {
            const i = ms.findIndex((x) => x.guid === m.guid);
            return i >= 0 ? ms.map((x, j) => (j === i ? m : x)) : [...ms, m];
          });
        } else if (!m.from_me) {
          setUnread((u) => new Set(u).add(m.chat_guid!));
        }
        return sel;
      });
    }, ctl.signal);
    return () => ctl.abort();
  }, [api]);

  // Poll the fate of sends that are not final yet (the event stream also pushes them).
  useEffect(() => {
    if (!api || !pending.some((p) => p.fate.state === 'queued' || p.fate.state === 'sending')) return;
    const t = setInterval(() => {
      for (const p of pending) {
        if (p.fate.state !== 'queued' && p.fate.state !== 'sending') continue;
        api.outbox(p.id).then((fate) => setPending((ps) => ps.map((x) => (x.id === p.id ? { ...x, fate } : x)))).catch(() => undefined);
      }
    }, 700);
    return () => clearInterval(t);
  }, [api, pending]);

  if (!api) return <Login error={authError} onToken={(t) => { sessionStorage.setItem(TOKEN_KEY, t); setAuthError(null); setToken(t); }} />;

  const byGuid = new Map(messages.map((m) => [m.guid, m]));
  const current = chats.find((c) => c.guid === selected);
  return (
    <div class="layout">
      <aside>
        <header><strong>iMessage</strong><button class="link" onClick={() => signOut(null)}>Sign out</button></header>
        <SearchPanel api={api} onOpen={setSelected} />
        <ChatList chats={chats} selected={selected} unread={unread} onSelect={setSelected} />
      </aside>
      <main>
        {current ? (
          <>
            <h2 class="chat-title">{chatTitle(current)}</h2>
            <Conversation api={api} messages={messages} byGuid={byGuid} />
            <Composer pending={pending} onSend={async (text, file) => {
              try {
                const { id } = await api.send(current.guid, text, file);
                setPending((ps) => [...ps, { id, text: text || file?.name || '', fate: { state: 'queued' } }]);
              } catch (e) {
                setPending((ps) => [...ps, { id: `local-${Date.now()}`, text, fate: { state: 'failed', reason: (e as Error).message } }]);
              }
            }} />
          </>
        ) : <p class="empty">Pick a chat.</p>}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
