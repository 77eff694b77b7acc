// matrix.space: a team's one Space, joined instead of created. The bot must be
// invited and allowed to add rooms; otherwise the start stops with what to do.
// Fakes at the HTTP seam.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinTeamSpace } from '../../src/connectors/matrix/space.ts';
import { MatrixConfigError } from '../../src/connectors/matrix/errors.ts';
import type { MatrixApi } from '../../src/connectors/matrix/api.ts';
import { matrixSection } from '../../src/config/sections/matrix.ts';

const BOT = '@imessagebot_sales:team.example';

function fakeBot(o: { aliases?: Record<string, string>; joinable?: boolean; power?: Record<string, unknown> }): { bot: MatrixApi; joined: string[] } {
  const joined: string[] = [];
  const client = {
    async doRequest(method: string, path: string) {
      const alias = /\/directory\/room\/(.+)$/.exec(path);
      if (alias) {
        const id = o.aliases?.[decodeURIComponent(alias[1]!)];
        if (!id) throw Object.assign(new Error('not found'), { errcode: 'M_NOT_FOUND' });
        return { room_id: id };
      }
      if (path.includes('/m.room.power_levels')) return o.power ?? {};
      throw new Error(`unexpected ${method} ${path}`);
    },
  };
  const bot = {
    userId: BOT, client,
    async join(roomId: string) {
      if (o.joinable === false) throw Object.assign(new Error('forbidden'), { errcode: 'M_FORBIDDEN', error: 'You are not invited to this room.' });
      joined.push(roomId);
    },
  } as unknown as MatrixApi;
  return { bot, joined };
}

test('an alias is resolved, the Space joined and its room id used when the bot may add rooms', async () => {
  const { bot, joined } = fakeBot({ aliases: { '#team:team.example': '!space:team.example' }, power: { users: { [BOT]: 50 }, events: { 'm.space.child': 50 } } });
  assert.equal(await joinTeamSpace(bot, '#team:team.example'), '!space:team.example');
  assert.deepEqual(joined, ['!space:team.example']);
});

test('a bot without power for m.space.child is refused at start, told which level it needs', async () => {
  const { bot } = fakeBot({ power: { users: { '@lead:team.example': 100 }, state_default: 50 } });
  await assert.rejects(joinTeamSpace(bot, '!space:team.example'), (e: unknown) => {
    assert.ok(e instanceof MatrixConfigError);
    assert.match(e.message, /may not add rooms to the team Space !space:team\.example \(matrix\.space\): that takes power level 50 \(m\.space\.child\), it has 0/);
    assert.match(e.advice, /power level 50/);
    return true;
  });
});

test('a bot that is not invited, or an unknown alias, is refused with the fix', async () => {
  await assert.rejects(joinTeamSpace(fakeBot({ joinable: false }).bot, '!space:team.example'), /cannot join the team Space .*M_FORBIDDEN/);
  await assert.rejects(joinTeamSpace(fakeBot({}).bot, '#nope:team.example'), (e: unknown) => e instanceof MatrixConfigError && /no room has the alias #nope:team\.example/.test(e.message));
});

test('matrix.space takes a room id or an alias, nothing else', () => {
  const base = { homeserver_url: 'http://127.0.0.1:8008', homeserver_name: 'team.example', owners: ['@lead:team.example'] };
  assert.equal(matrixSection.parse({ ...base, space: '#team:team.example' }).space, '#team:team.example');
  assert.equal(matrixSection.parse({ ...base, space: '!abc:team.example' }).space, '!abc:team.example');
  const bad = matrixSection.safeParse({ ...base, space: 'team' });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues[0]!.path, ['space']);
});
