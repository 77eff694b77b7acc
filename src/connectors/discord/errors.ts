// Errors with a plain-language `advice`, so the CLI and doctor can tell the
// user what to do rather than print a stack.
export class DiscordConnectorError extends Error {
  constructor(readonly code: string, message: string, readonly advice: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscordConnectorError';
  }
}

/** Gateway close codes that retrying will never fix. */
export function gatewayCloseError(code: number): DiscordConnectorError | null {
  switch (code) {
    case 4004: return new DiscordConnectorError('bad_token', 'Discord rejected the bot token (4004).', 'Copy the bot token again from the Developer Portal into discord.token.');
    case 4013:
    case 4014: return new DiscordConnectorError('intents', `Discord refused the requested intents (${code}).`, 'Enable the Message Content intent for the bot in the Discord Developer Portal (Bot → Privileged Gateway Intents).');
    default: return null;
  }
}

export const loginError = (cause: unknown): DiscordConnectorError => {
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/disallowed intents|4014/i.test(text)) return gatewayCloseError(4014)!;
  if (/token/i.test(text)) return gatewayCloseError(4004)!;
  return new DiscordConnectorError('login_failed', `Could not connect to Discord: ${text}`, 'Check the network and discord.api_url, then restart the bridge.', { cause });
};
