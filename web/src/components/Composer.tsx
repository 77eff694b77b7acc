import { useEffect, useRef, useState } from 'preact/hooks';
import type { PendingSend } from '../useBridge';
import type { MessageJson } from '../types';
import { fateLabel, senderLabel, sizeOf } from '../format';

interface Props {
  chatTitle: string; sms: boolean; canSend: boolean | null; sends: PendingSend[];
  replyTo: MessageJson | null; onCancelReply: () => void;
  onSend: (text: string, files: File[]) => Promise<boolean>;
}

/**
 * AppleScript can't make a threaded reply, so a reply is sent as a quote
 * line above the text, and the composer says so.
 */
export const quoteFor = (m: MessageJson): string => `> ${senderLabel(m)}: ${(m.text || 'attachment').replace(/\s+/g, ' ').slice(0, 120)}\n`;

export function Composer({ chatTitle, sms, canSend, sends, replyTo, onCancelReply, onSend }: Props) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => { if (replyTo) input.current?.focus(); }, [replyTo]);
  if (canSend === false) {
    return (
      <div class="composer readonly" role="status">
        This token can read only, so sending is off here. To send, sign in with a token made with “imessage-bridge token new --scope read,send”.
      </div>
    );
  }
  const submit = async (): Promise<void> => {
    if ((!text.trim() && files.length === 0) || busy) return;
    setBusy(true);
    try {
      const body = (replyTo ? quoteFor(replyTo) : '') + text.trim();
      if (await onSend(body, files)) { setText(''); setFiles([]); onCancelReply(); }
    } finally { setBusy(false); input.current?.focus(); }
  };
  return (
    <div class="composer">
      {sends.length > 0 && (
        <ul class="fates" aria-label="Sends">
          {sends.slice(-4).map((s) => <li key={s.id} class={`fate ${s.fate.state}`} data-state={s.fate.state}><span class="state">{fateLabel(s.fate)}</span> <span class="what">{s.text}</span></li>)}
        </ul>
      )}
      {replyTo && (
        <div class="replying">
          <div>
            <strong>Replying to {senderLabel(replyTo)}</strong> <span class="quote">{replyTo.text.slice(0, 80) || 'attachment'}</span>
            <p class="note">iMessage gets this as a quoted line of text, not a threaded reply.</p>
          </div>
          <button type="button" class="icon-btn" aria-label="Cancel reply" onClick={onCancelReply}>✕</button>
        </div>
      )}
      {files.length > 0 && (
        <ul class="files" aria-label="Attached files">
          {files.map((f, i) => (
            <li class="chip" key={`${f.name}-${i}`}>
              <span class="name">{f.name}</span> <span class="size">{sizeOf(f.size)}</span>
              <button type="button" class="icon-btn" aria-label={`Remove ${f.name}`} onClick={() => setFiles(files.filter((_, j) => j !== i))}>✕</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label class="attach icon-btn" title="Attach files">
          <span aria-hidden="true">+</span>
          <input type="file" multiple aria-label="Attach files" onChange={(e) => {
            const picked = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            setFiles((fs) => [...fs, ...picked]);
          }} />
        </label>
        <textarea name="message" rows={1} ref={input} aria-label={`Message to ${chatTitle}`} placeholder={sms ? 'SMS' : 'iMessage'} value={text} disabled={busy}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); void submit(); } }} />
        <button type="submit" class={`send${sms ? ' sms' : ''}`} disabled={busy || (!text.trim() && files.length === 0)}>Send</button>
      </form>
    </div>
  );
}
