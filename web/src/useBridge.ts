// All of the client's state: chats, the open conversation, unread counts,
// sends and their fates, fed by the REST API and the live event stream.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { AuthError, NetworkError, ScopeError, type Api } from './api';
import { isFinal, unreadIn } from './format';
import { loadSeen, saveSeen } from './unread';
import type { ChatJson, Fate, FateFrameJson, LiveEventJson, MessageJson } from './types';

export interface PendingSend { id: string; chat: string; text: string; fate: Fate }

/**
 * The open conversation always carries the chat its messages belong to, so a
 * late or failed load can never put one chat's history under another's header.
 */
export interface Conversation {
  chat: string;
  messages: MessageJson[];
  /** loading: nothing to show yet; offline: cached copy, the bridge is unreachable; failed: nothing cached either. */
  state: 'loading' | 'ready' | 'offline' | 'failed';
}

const NEW_ROW = new Set<LiveEventJson['type']>(['message', 'reaction', 'group_event']);
// Fates come as `fate` frames on the event stream. They are not replayed after
// a reconnect, so open sends are still polled: rarely while the stream is up,
// often while it is down.
const POLL_CONNECTED_MS = 5000;
const POLL_DISCONNECTED_MS = 700;
// Previews and unread counts come from each chat's newest page; the API's
// chat list has no last message. Bounded, and a few at a time.
const PREVIEW_CHATS = 60;
const PREVIEW_PAGE = 20;
const PREVIEW_PARALLEL = 3;

const rank = (f: Fate): number => (f.state === 'queued' ? 0 : f.state === 'sending' ? 1 : 2);
/** Frames and polls may cross: a fate never goes back (sent → sending). */
const later = (was: Fate, next: Fate | undefined): Fate => (next && rank(next) >= rank(was) && !isFinal(was) ? next : was);

function upsert(ms: MessageJson[], m: MessageJson): MessageJson[] {
  const i = ms.findIndex((x) => x.guid === m.guid);
  if (i >= 0) return ms.map((x, j) => (j === i ? m : x));
  return [...ms, m].sort((a, b) => a.rowid - b.rowid);
}

export interface Hooks {
  signOut: (why: string | null) => void;
  /** A new incoming message (for notifications). */
  onIncoming?: (chat: ChatJson, m: MessageJson) => void;
}

export function useBridge(api: Api, hooks: Hooks) {
  const [chats, setChats] = useState<ChatJson[]>([]);
  const [chatsLoaded, setChatsLoaded] = useState(false);
  const [conv, setConv] = useState<Conversation | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [last, setLast] = useState<Map<string, MessageJson>>(new Map());
  const [unread, setUnread] = useState<Map<string, number>>(new Map());
  const [sends, setSends] = useState<PendingSend[]>([]);
  const [connected, setConnected] = useState(false);
  const [reachable, setReachable] = useState(true);
  const [canSend, setCanSend] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const selectedRef = useRef<string | null>(null);
  const cache = useRef(new Map<string, MessageJson[]>());
  const seen = useRef(loadSeen());
  const hooksRef = useRef(hooks);
  hooksRef.current = hooks;
  // Fates that arrived before the send's own 202 reply did.
  const earlyFates = useRef(new Map<string, Fate>());

  const fail = useCallback((e: unknown) => {
    if (e instanceof AuthError) hooksRef.current.signOut(e.message);
    else if (e instanceof NetworkError) setReachable(false);
    else if (e instanceof ScopeError) setCanSend(false);
    else setError((e as Error).message);
  }, []);

  const markSeen = (chat: string, ms: MessageJson[]): void => {
    const top = ms[ms.length - 1]?.rowid ?? 0;
    if (top > (seen.current[chat] ?? 0)) { seen.current = { ...seen.current, [chat]: top }; saveSeen(seen.current); }
    setUnread((u) => { if (!u.has(chat)) return u; const n = new Map(u); n.delete(chat); return n; });
  };

  const remember = (chat: string, ms: MessageJson[]): void => {
    cache.current.set(chat, ms);
    const newest = ms[ms.length - 1];
    if (newest) setLast((l) => new Map(l).set(chat, newest));
  };

  const loadChats = useCallback(async () => {
    try {
      const cs = await api.chats();
      setChats(cs);
      setChatsLoaded(true);
      setReachable(true);
      return cs;
    } catch (e) { fail(e); return null; }
  }, [api, fail]);

  // Chats, then each chat's newest page for its preview and unread count.
  useEffect(() => {
    let live = true;
    void loadChats().then(async (cs) => {
      const queue = (cs ?? []).slice(0, PREVIEW_CHATS).map((c) => c.guid);
      const worker = async (): Promise<void> => {
        for (let g = queue.shift(); g && live; g = queue.shift()) {
          const ms = await api.messages(g, { limit: PREVIEW_PAGE }).catch(() => null);
          if (!ms || !live) continue;
          if (!cache.current.has(g)) remember(g, ms);
          const n = selectedRef.current === g ? 0 : unreadIn(ms, seen.current[g] ?? 0);
          if (n > 0) setUnread((u) => new Map(u).set(g, n));
        }
      };
      await Promise.all(Array.from({ length: PREVIEW_PARALLEL }, worker));
    });
    api.canSend().then(setCanSend, (e: unknown) => { if (e instanceof AuthError) fail(e); });
    return () => { live = false; };
  }, [api]);

  /** Opens a chat; with `at`, makes sure that message is loaded and highlighted. */
  const open = useCallback(async (chat: string | null, at?: { guid: string; rowid: number }) => {
    selectedRef.current = chat;
    setFocus(at?.guid ?? null);
    if (!chat) { setConv(null); return; }
    const cached = cache.current.get(chat);
    // Re-opening the chat on screen (a retry) keeps its state: no flicker.
    setConv((c) => (c && c.chat === chat && (c.state === 'offline' || c.state === 'failed') ? c : { chat, messages: cached ?? [], state: cached ? 'ready' : 'loading' }));
    try {
      let ms = await api.messages(chat);
      if (at && !ms.some((m) => m.guid === at.guid)) {
        const around = await api.messages(chat, { before: at.rowid + 50 });
        ms = [...around.filter((m) => m.rowid < (ms[0]?.rowid ?? Infinity)), ...ms];
      }
      setReachable(true);
      remember(chat, ms);
      if (selectedRef.current === chat) { setConv({ chat, messages: ms, state: 'ready' }); markSeen(chat, ms); }
    } catch (e) {
      fail(e);
      if (selectedRef.current !== chat) return;
      const kept = cache.current.get(chat);
      setConv({ chat, messages: kept ?? [], state: e instanceof NetworkError ? (kept ? 'offline' : 'failed') : kept ? 'ready' : 'failed' });
    }
  }, [api, fail]);

  const setFate = (id: string, fate: Fate): void => setSends((ss) => ss.map((x) => (x.id === id ? { ...x, fate: later(x.fate, fate) } : x)));
  const onFate = ({ id, ...fate }: FateFrameJson): void => {
    const early = earlyFates.current;
    early.set(id, later(early.get(id) ?? { state: 'queued' }, fate as Fate));
    if (early.size > 200) early.delete(early.keys().next().value!);
    setFate(id, fate as Fate);
  };

  // Live updates. Replays after a reconnect may repeat events: dedupe by key.
  useEffect(() => {
    const ctl = new AbortController();
    const dedupe = new Set<string>();
    void api.stream((ev) => {
      if (dedupe.has(ev.key)) return;
      dedupe.add(ev.key);
      if (dedupe.size > 5000) dedupe.delete(dedupe.values().next().value!);
      const m = ev.message;
      const chat = ev.chat.guid;
      setChats((cs) => {
        const known = cs.find((c) => c.guid === chat);
        if (!NEW_ROW.has(ev.type)) return known ? cs : [ev.chat, ...cs];
        const updated = { ...(known ?? ev.chat), ...ev.chat, last_message_at: m.date ?? ev.chat.last_message_at };
        return [updated, ...cs.filter((c) => c.guid !== chat)];
      });
      const cached = cache.current.get(chat);
      const next = upsert(cached ?? [], m);
      if (cached || selectedRef.current === chat) cache.current.set(chat, next);
      setLast((l) => {
        const prev = l.get(chat);
        return !prev || prev.rowid <= m.rowid ? new Map(l).set(chat, m) : l;
      });
      const isNew = ev.type === 'message' && !m.from_me;
      if (selectedRef.current === chat) {
        setConv((c) => (c && c.chat === chat ? { ...c, messages: upsert(c.messages, m) } : c));
        if (!document.hidden) markSeen(chat, [m]);
      } else if (isNew) {
        setUnread((u) => new Map(u).set(chat, (u.get(chat) ?? 0) + 1));
      }
      if (isNew) hooksRef.current.onIncoming?.(ev.chat, m);
    }, (up) => { setConnected(up); if (up) setReachable(true); }, ctl.signal, onFate).catch(fail);
    return () => ctl.abort();
  }, [api]);

  // Offline or failed: try again now and then (the event stream may not
  // notice a dead network), and at once when the stream is back.
  const RETRY_MS = 3000;
  useEffect(() => {
    if (!conv || (conv.state !== 'offline' && conv.state !== 'failed')) return;
    const chat = conv.chat;
    const retry = (): void => { if (selectedRef.current === chat) void open(chat); };
    if (connected) retry();
    const t = setInterval(retry, RETRY_MS);
    return () => clearInterval(t);
  }, [conv?.state, conv?.chat, connected]);

  // The fallback: poll each open send until final (see POLL_CONNECTED_MS).
  useEffect(() => {
    const open_ = sends.filter((s) => !isFinal(s.fate));
    if (open_.length === 0) return;
    const t = setTimeout(() => {
      for (const s of open_) api.outbox(s.id).then((r) => setFate(s.id, r.fate), fail);
    }, connected ? POLL_CONNECTED_MS : POLL_DISCONNECTED_MS);
    return () => clearTimeout(t);
  }, [api, sends, connected]);

  /** Sends text and files (one file per message, the API's unit) to the open chat or to a handle. */
  const send = useCallback(async (target: { chat: string } | { to: string }, text: string, files: File[] = []): Promise<boolean> => {
    const chat = 'chat' in target ? target.chat : target.to;
    const parts: [string, File | undefined][] = files.length ? files.map((f, i) => [i === 0 ? text : '', f]) : [[text, undefined]];
    let ok = true;
    for (const [t, f] of parts) {
      const label = t || f?.name || '';
      try {
        const r = await api.send(target, t, f);
        setSends((ss) => [...ss, { id: r.id, chat: r.chat || chat, text: label, fate: later(r.fate, earlyFates.current.get(r.id)) }]);
      } catch (e) {
        ok = false;
        if (e instanceof AuthError || e instanceof ScopeError) { fail(e); return false; }
        if (e instanceof NetworkError) setReachable(false);
        setSends((ss) => [...ss, { id: `local-${Date.now()}-${ss.length}`, chat, text: label, fate: { state: 'failed', code: 'request', reason: (e as Error).message } }]);
      }
    }
    return ok;
  }, [api, fail]);

  const loadEarlier = useCallback(async () => {
    const c = conv;
    const first = c?.messages[0];
    if (!c || !first) return;
    const older = await api.messages(c.chat, { before: first.rowid }).catch((e: unknown) => { fail(e); return []; });
    setConv((now) => (now && now.chat === c.chat ? { ...now, messages: [...older.filter((m) => m.rowid < first.rowid), ...now.messages] } : now));
  }, [api, conv, fail]);

  return {
    chats, chatsLoaded, conv, focus, last, unread, sends, connected, reachable, canSend, error,
    dismissError: () => setError(null), open, send, loadEarlier, reloadChats: loadChats,
  };
}
