// Opt-in browser notifications for new messages while the tab is hidden. The
// choice is kept in localStorage; the browser's own permission comes first.
import type { ChatJson, MessageJson } from './types';
import { chatTitle, previewOf } from './format';

const KEY = 'imb.notify';

export const notifySupported = (): boolean => typeof Notification !== 'undefined';
export const notifyOn = (): boolean => notifySupported() && localStorage.getItem(KEY) === '1' && Notification.permission === 'granted';

/** Turns notifications on (asking the browser) or off; returns the new state. */
export async function toggleNotify(): Promise<boolean> {
  if (notifyOn()) { localStorage.removeItem(KEY); return false; }
  const p = await Notification.requestPermission();
  if (p !== 'granted') return false;
  localStorage.setItem(KEY, '1');
  return true;
}

export function notifyIncoming(chat: ChatJson, m: MessageJson): void {
  if (!notifyOn() || !document.hidden) return;
  // `tag` per chat: a burst in one chat replaces rather than piles up.
  const n = new Notification(chatTitle(chat), { body: previewOf(m, chat.is_group), tag: chat.guid });
  n.onclick = () => { window.focus(); location.hash = `#chat=${encodeURIComponent(chat.guid)}`; n.close(); };
}
