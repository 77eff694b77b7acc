// AppleScript failures become one typed error with a sentence telling the user
// what to do. osascript reports them only as text on stderr, e.g.
//   45:94: execution error: Messages got an error: Can't get chat id "…". (-1728)
// so the trailing number is the only stable part we key on.

export type SendErrorCode =
  | 'not_found' | 'not_authorized' | 'not_running' | 'timeout' | 'syntax' | 'coercion'
  | 'not_understood' | 'undefined_variable' | 'file_refused' | 'bad_recipient' | 'too_long' | 'unknown';

interface Meaning { code: SendErrorCode; retryable: boolean; advice: (ctx: AdviceContext) => string }
interface AdviceContext { binary: string }

const MEANINGS: Record<number, Meaning> = {
  [-1728]: {
    code: 'not_found', retryable: false,
    advice: () => 'Messages does not know this chat or recipient. Check the chat guid or handle, and that the Mac is signed in to iMessage (or has SMS forwarding for SMS chats).',
  },
  [-1708]: {
    code: 'not_understood', retryable: false,
    advice: () => 'Messages did not understand the command. This is a bug in the bridge or an unsupported macOS version; please report it with your macOS version.',
  },
  [-1700]: {
    code: 'coercion', retryable: false,
    advice: () => 'Messages could not convert a value (for example an unknown service type or a bad file path). Please report it with your macOS version.',
  },
  [-1712]: {
    code: 'timeout', retryable: false,
    advice: () => 'Messages did not answer in time; the message may or may not have been sent. Check Messages before sending it again.',
  },
  [-1743]: {
    code: 'not_authorized', retryable: false,
    advice: (c) => `Automation permission for Messages is missing: open System Settings › Privacy & Security › Automation, and enable Messages under ${c.binary}. The prompt only appears in the logged-in GUI session.`,
  },
  [-600]: {
    code: 'not_running', retryable: true,
    advice: () => 'Messages is not running. Open Messages in the logged-in GUI session (and keep the Mac logged in); the send will be retried.',
  },
  [-2753]: {
    code: 'undefined_variable', retryable: false,
    advice: () => 'The AppleScript used a name Messages does not define on this macOS version. Please report it with your macOS version.',
  },
  [-2741]: {
    code: 'syntax', retryable: false,
    advice: () => 'The AppleScript did not compile on this macOS version. Please report it with your macOS version.',
  },
};

export class SendError extends Error {
  override readonly name = 'SendError';
  readonly code: SendErrorCode;
  readonly osaNumber: number | null;
  readonly advice: string;
  readonly retryable: boolean;

  constructor(o: { code: SendErrorCode; message: string; osaNumber?: number | null; advice: string; retryable?: boolean }) {
    super(o.message);
    this.code = o.code;
    this.osaNumber = o.osaNumber ?? null;
    this.advice = o.advice;
    this.retryable = o.retryable ?? false;
  }
}

export interface OsaFailure {
  osaNumber: number | null;
  /** The human part of the message, e.g. `Messages got an error: Can't get chat id "x".` */
  detail: string;
}

const LINE = /(?:^|:)\d+:\d+: (?:execution|syntax) error: (.*?)\s*\((-?\d+)\)\s*$/;
const BARE_NUMBER = /\((-\d{1,5})\)\s*$/;

/** Find the AppleScript error number in osascript's stderr (last match wins). */
export function parseOsaStderr(stderr: string): OsaFailure {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    const m = LINE.exec(line) ?? null;
    if (m) return { osaNumber: Number(m[2]), detail: m[1] ?? '' };
    const b = BARE_NUMBER.exec(line);
    if (b) return { osaNumber: Number(b[1]), detail: line.replace(BARE_NUMBER, '').trim() };
  }
  return { osaNumber: null, detail: lines.join(' ').slice(0, 500) };
}

/** Turn a failed osascript run into a SendError. */
export function sendErrorFromStderr(stderr: string, binary = process.execPath): SendError {
  const f = parseOsaStderr(stderr);
  const meaning = f.osaNumber === null ? undefined : MEANINGS[f.osaNumber];
  if (!meaning) {
    return new SendError({
      code: 'unknown', osaNumber: f.osaNumber,
      message: `osascript failed${f.osaNumber === null ? '' : ` (${f.osaNumber})`}: ${f.detail || 'no error output'}`,
      advice: 'Sending through Messages failed for an unrecognized reason. Check that Messages is open and signed in, then look at the bridge log.',
    });
  }
  return new SendError({
    code: meaning.code, osaNumber: f.osaNumber, retryable: meaning.retryable,
    message: `${f.detail || 'AppleScript error'} (${f.osaNumber})`,
    advice: meaning.advice({ binary }),
  });
}

export function timeoutError(ms: number): SendError {
  return new SendError({
    code: 'timeout', retryable: false,
    message: `osascript did not finish within ${ms} ms and was killed`,
    advice: 'The outcome is unknown: the message may or may not have been sent. Check Messages before sending it again; the bridge will not retry it automatically.',
  });
}

export function fileRefused(message: string, advice: string): SendError {
  return new SendError({ code: 'file_refused', message, advice, retryable: false });
}

/** A text over what one osascript run can carry (see SEND_PART_BYTES in validate.ts); nothing was started. */
export function tooLong(bytes: number, limit: number): SendError {
  return new SendError({
    code: 'too_long', retryable: false,
    message: `the text is ${bytes} bytes, more than the ${limit} bytes one message can pass to osascript`,
    advice: 'Nothing was sent. Split it into several messages (the bridge splits texts at this size before queueing them), or send it as a file.',
  });
}
