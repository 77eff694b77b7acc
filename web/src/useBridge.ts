// All of the client's state: chats, the open conversation, unread counts,
// sends and their fates, fed by the REST API and the live event stream.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { AuthError, type Api } from './api';
import { isFinal } from './format';
import type { ChatJson, Fate, FateFrameJson, LiveEventJson, MessageJson } from './types';

export interface PendingSend { id: string; chat: string; text: string; fate: Fate }

const NEW_ROW = new Set<LiveEventJson['type']>(['message', 'reaction', 'group_event']);
// Fates come as `fate` frames on the event stream. They are not replayed after
// a reconnect, so open sends are still polled: rarely while the stream is up,
// often while it is down.
const POLL_CONNECTED_MS = 5000;
const POLL_DISCONNECTED_MS = 700;

const rank = (f: Fate): number => (f.state === 'queued' ? 0 : f.state === 'sending' ? 1 : 2);
/** Frames and polls may cross: a fate never goes back (sent → sending). */
const later = (was: Fate, next: Fate | undefined): Fate => (next && rank(next) >= rank(was) && !isFinal(was) ? next : was);

function upsert(ms: MessageJson[], m: MessageJson): MessageJson[] {
  const i = ms.findIndex((x) => x.guid === m.guid);
  if (i >= 0) return ms.map((x, j) => (j === i ? m : x));
  return [...ms, m].sort((a, b) => a.rowid - b.rowid);
}

export function useBridge(api: Api, signOut: (why: string | null) => void) {
  const [chats, setChats] = useState<ChatJson[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [messages, setMessages] = useState<MessageJson[]>([]);
  const [focus, setFocus] = useState<string | null>(null);
  const [unread, setUnread] = useState<Map<string, number>>(new Map());
  const [sends, setSends] = useState<PendingSend[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const selectedRef = useRef<string | null>(null);
  // Fates that arrived before the send's own 202 reply did.
  const earlyFates = useRef(new Map<string, Fate>());

  const fail = useCallback((e: unknown) => {
    if (e instanceof AuthError) signOut(e.message); else setError((e as Error).message);
  }, [signOut]);

  useEffect(() => { api.chats().then(setChats, fail); }, [api]);

  /** Opens a chat; with `at`, makes sure that message is loaded and highlighted. */
  const open = useCallback(async (chat: string, at?: { guid: string; rowid: number }) => {
    selectedRef.current = chat;
    setSelected(chat);
    setFocus(at?.guid ?? null);
    setUnread((u) => { const n = new Map(u); n.delete(chat); return n; });
    try {
      let ms = await api.messages(chat);
      if (at && !ms.some((m) => m.guid === at.guid)) {
        const around = await api.messages(chat, at.rowid + 50);
        ms = [...around.filter((m) => m.rowid < (ms[0]?.rowid ?? Infinity)), ...ms];
      }
      if (selectedRef.current === chat) setMessages(ms);
    } catch (e) {
      fail(e);
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
    const seen = new Set<string>();
    void api.stream((ev) => {
      if (seen.has(ev.key)) return;
      seen.add(ev.key);
      if (seen.size > 5000) seen.delete(seen.values().next().value!);
      const m = ev.message;
      setChats((cs) => {
        const known = cs.find((c) => c.guid === ev.chat.guid);
        if (!NEW_ROW.has(ev.type)) return known ? cs : [ev.chat, ...cs];
        const updated = { ...(known ?? ev.chat), ...ev.chat, last_message_at: m.date ?? ev.chat.last_message_at };
        return [updated, ...cs.filter((c) => c.guid !== ev.chat.guid)];
      });
      if (selectedRef.current === ev.chat.guid) setMessages((ms) => upsert(ms, m));
      else if (ev.type === 'message' && !m.from_me) setUnread((u) => new Map(u).set(ev.chat.guid, (u.get(ev.chat.guid) ?? 0) + 1));
    }, setConnected, ctl.signal, onFate).catch(fail);
    return () => ctl.abort();
  }, [api]);

  // The fallback: poll each open send until final (see POLL_CONNECTED_MS).
  useEffect(() => {
    const open_ = sends.filter((s) => !isFinal(s.fate));
    if (open_.length === 0) return;
    const t = setTimeout(() => {
      for (const s of open_) api.outbox(s.id).then((r) => setFate(s.id, r.fate), fail);
    }, connected ? POLL_CONNECTED_MS : POLL_DISCONNECTED_MS);
    return () => clearTimeout(t);
  }, [api, sends, connected]);

  const send = useCallback(async (text: string, file?: File) => {
    const chat = selectedRef.current;
    if (!chat) return;
    const label = text || file?.name || '';
    try {
      const r = await api.send(chat, text, file);
      setSends((ss) => [...ss, { id: r.id, chat, text: label, fate: later(r.fate, earlyFates.current.get(r.id)) }]);
    } catch (e) {
      if (e instanceof AuthError) { fail(e); return; }
      setSends((ss) => [...ss, { id: `local-${Date.now()}`, chat, text: label, fate: { state: 'failed', code: 'request', reason: (e as Error).message } }]);
    }
  }, [api, fail]);

  const loadEarlier = useCallback(async () => {
    const chat = selectedRef.current;
    const first = messages[0];
    if (!chat || !first) return;
    const older = await api.messages(chat, first.rowid).catch((e: unknown) => { fail(e); return []; });
    if (selectedRef.current === chat) setMessages((ms) => [...older.filter((m) => m.rowid < first.rowid), ...ms]);
  }, [api, messages, fail]);

  return { chats, selected, messages, focus, unread, sends, connected, error, dismissError: () => setError(null), open, send, loadEarlier };
}
