import { useEffect, useRef } from 'preact/hooks';

/** A photo full size, in a modal <dialog> (focus trapped, Escape closes). */
export function Viewer({ url, name, onClose }: { url: string; name: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog class="viewer" ref={ref} aria-label={name} onClose={onClose} onClick={(e) => { if (e.target === ref.current) ref.current?.close(); }}>
      <img src={url} alt={name} />
      <div class="viewer-bar">
        <span>{name}</span>
        <a class="button" href={url} download={name}>Download</a>
        <button type="button" onClick={() => ref.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}
