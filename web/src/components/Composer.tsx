import { useRef, useState } from 'preact/hooks';
import type { PendingSend } from '../useBridge';
import { fateLabel } from '../format';

export function Composer({ onSend, sends }: { onSend: (text: string, file?: File) => Promise<void>; sends: PendingSend[] }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  return (
    <div class="composer">
      {sends.length > 0 && (
        <ul class="fates" aria-label="Sends">
          {sends.slice(-4).map((s) => <li key={s.id} class={`fate ${s.fate.state}`} data-state={s.fate.state}><span class="state">{fateLabel(s.fate)}</span> <span class="what">{s.text}</span></li>)}
        </ul>
      )}
      <form onSubmit={async (e) => {
        e.preventDefault();
        const f = file.current?.files?.[0];
        if (!text.trim() && !f) return;
        setBusy(true);
        try {
          await onSend(text.trim(), f);
          setText('');
          setFileName(null);
          if (file.current) file.current.value = '';
        } finally { setBusy(false); }
      }}>
        <label class="attach" title="Attach a file">
          📎<input type="file" ref={file} aria-label="Attach a file" onChange={(e) => setFileName(e.currentTarget.files?.[0]?.name ?? null)} />
        </label>
        {fileName && <span class="chip">{fileName}</span>}
        <input type="text" name="message" aria-label="Message" placeholder="iMessage" autocomplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)} disabled={busy} />
        <button type="submit" disabled={busy || (!text.trim() && !fileName)}>Send</button>
      </form>
    </div>
  );
}
