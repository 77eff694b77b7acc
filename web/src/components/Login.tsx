import { useState } from 'preact/hooks';

export function Login({ onToken, error }: { onToken: (t: string) => void; error: string | null }) {
  const [value, setValue] = useState('');
  return (
    <div class="login-page">
      <form class="login" onSubmit={(e) => { e.preventDefault(); if (value.trim()) onToken(value.trim()); }}>
        <div class="logo" aria-hidden="true">💬</div>
        <h1>iMessage bridge</h1>
        <p>Sign in with an API token. Create one on the Mac with <code>imessage-bridge token new --scope read,send</code> (the <code>demo</code> command prints one).</p>
        <label for="token">API token</label>
        <input id="token" type="password" name="token" autocomplete="off" spellcheck={false} placeholder="imb_…" value={value} onInput={(e) => setValue(e.currentTarget.value)} autofocus />
        <button type="submit">Sign in</button>
        {error && <p class="error" role="alert">{error}</p>}
        <p class="fine">The token stays in this tab's session storage and is sent only in the Authorization header.</p>
      </form>
    </div>
  );
}
