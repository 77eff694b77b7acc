// Backfill story on a real Synapse, bot mode: the original time in each line.
import { test, before, after } from 'node:test';
import type { RunningBridge } from '../../src/daemon.ts';
import { startMatrixWorld, type MatrixWorld } from './matrixWorld.ts';
import { backfillStory, managementStatus, recreateStory, seedWorld, startInProcess, type Setup } from './matrixStory.ts';

let w: MatrixWorld;
let s: Setup;
let bridge: RunningBridge | null = null;

before(async () => {
  w = await startMatrixWorld('bot');
  s = seedWorld(w);
  bridge = await startInProcess(w);
});
after(async () => {
  await bridge?.stop();
  await w?.close();
});

test('bot: a new room starts with the chat history at original times, then the live row; other chats flow', { timeout: 120_000 }, () => backfillStory(w, s));
test('bot: backfill <chat> on an existing room explains why not; --recreate gives a new room with the history', { timeout: 120_000 }, () => recreateStory(w, s));
test('bot: the management room status has the backfill line', { timeout: 60_000 }, () => managementStatus(w));
