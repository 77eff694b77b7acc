// Errors the core gives callers (connectors, the API, the CLI): each with a
// stable code and a sentence telling the user what to do.
export type SendRefusedCode = 'not_mirrored' | 'not_allowed' | 'bad_recipient' | 'empty' | 'stopping' | 'bad_file';

export class SendRefusedError extends Error {
  override readonly name = 'SendRefusedError';
  constructor(readonly code: SendRefusedCode, message: string, readonly advice: string) {
    super(message);
  }
}

/** A denial by the send policy (who or where), as opposed to bad input. */
export const isDenial = (e: unknown): boolean => e instanceof SendRefusedError && (e.code === 'not_mirrored' || e.code === 'not_allowed');

export const notMirrored = (connector: string, chat: string): SendRefusedError => new SendRefusedError('not_mirrored',
  `chat ${chat} is not mirrored to ${connector}; sending into it from there is refused`,
  `Mirror the chat to ${connector} first (or send from a connector it is mirrored to).`);

export const notAllowed = (connector: string, user: string): SendRefusedError => new SendRefusedError('not_allowed',
  `${user} is not allowed to send to iMessage from ${connector}`,
  `An admin can allow the user (or one of their roles) in the ${connector} section of the config.`);

export const apiNotMirrored = (): SendRefusedError => new SendRefusedError('not_mirrored',
  'Sending is restricted to mirrored chats, and this chat is not mirrored.', 'Mirror the chat, or change api.send_restriction.');

export const apiNotListed = (): SendRefusedError => new SendRefusedError('not_allowed',
  'Sending is restricted to api.send_allowlist, and this chat has recipients outside it.', 'Add the recipients to api.send_allowlist.');

export const emptySend = (): SendRefusedError => new SendRefusedError('empty', 'nothing to send: no text and no file', 'Give a text or a file to send.');

export const stopping = (): SendRefusedError => new SendRefusedError('stopping', 'the bridge is shutting down and accepts no new sends',
  'Send again once the bridge is running.');

export const badFile = (why: string): SendRefusedError => new SendRefusedError('bad_file', `file refused: ${why}`,
  'Give the absolute path of a readable file and its name.');
