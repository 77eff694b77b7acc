// Errors the core gives callers (connectors, the API, the CLI): each with a
// stable code and a sentence telling the user what to do.
export type SendRefusedCode = 'not_mirrored' | 'empty' | 'stopping' | 'bad_file';

export class SendRefusedError extends Error {
  override readonly name = 'SendRefusedError';
  constructor(readonly code: SendRefusedCode, message: string, readonly advice: string) {
    super(message);
  }
}

export const notMirrored = (connector: string, chat: string): SendRefusedError => new SendRefusedError('not_mirrored',
  `chat ${chat} is not mirrored to ${connector}; sending into it from there is refused`,
  `Mirror the chat to ${connector} first (or send from a connector it is mirrored to).`);

export const emptySend = (): SendRefusedError => new SendRefusedError('empty', 'nothing to send: no text and no file', 'Give a text or a file to send.');

export const stopping = (): SendRefusedError => new SendRefusedError('stopping', 'the bridge is shutting down and accepts no new sends',
  'Send again once the bridge is running.');

export const badFile = (why: string): SendRefusedError => new SendRefusedError('bad_file', `file refused: ${why}`,
  'Give the absolute path of a readable file and its name.');
