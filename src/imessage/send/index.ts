// Sending into Messages through AppleScript (osascript -, values in argv only).
export { AppleScriptSender, type SendAttempt, type SendRequest, type SenderOptions } from './sender.ts';
export { SendError, parseOsaStderr, sendErrorFromStderr, type SendErrorCode } from './errors.ts';
export { SCRIPTS, scriptFor } from './scripts.ts';
export { parseChatGuid, planLadder } from './ladder.ts';
export { stagingRoot } from './staging.ts';
export {
  recipientProblem, textProblem, textWarnings, cleanText, splitText, isHandle, loneSurrogateAt,
  SEND_PART_BYTES, MAX_TEXT_BYTES, type SendProblem, type RecipientContext,
} from './validate.ts';
