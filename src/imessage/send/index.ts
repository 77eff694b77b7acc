// Sending into Messages through AppleScript (osascript -, values in argv only).
export { AppleScriptSender, type SendAttempt, type SendRequest, type SenderOptions } from './sender.ts';
export { SendError, parseOsaStderr, sendErrorFromStderr, type SendErrorCode } from './errors.ts';
export { SCRIPTS, scriptFor } from './scripts.ts';
export { parseChatGuid, planLadder } from './ladder.ts';
export { stagingRoot } from './staging.ts';
