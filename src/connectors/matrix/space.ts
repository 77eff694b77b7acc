// A team's one Space (`matrix.space`): several bridges, one per Mac, gather
// their portal rooms in a Space someone on the team made, instead of each
// creating its own. The bot joins it (it must be invited) and must be allowed
// to add children (m.space.child); either failing stops the start with what to do.
import type { MatrixApi } from './api.ts';
import { MatrixConfigError, errcodeOf, reasonOf } from './errors.ts';

const enc = encodeURIComponent;

interface PowerLevels { users?: Record<string, number>; users_default?: number; events?: Record<string, number>; state_default?: number }

/** The room id of the team Space `ref` (`!id:server` or `#alias:server`), joined and checked. */
export async function joinTeamSpace(bot: MatrixApi, ref: string): Promise<string> {
  const roomId = ref.startsWith('#') ? await resolveAlias(bot, ref) : ref;
  try {
    await bot.join(roomId);
  } catch (e) {
    throw new MatrixConfigError(`the bridge bot ${bot.userId} cannot join the team Space ${ref} (matrix.space): ${reasonOf(e)}`,
      `invite ${bot.userId} to the Space (in Element: the Space's menu → Invite), then start the bridge again`);
  }
  const pl = await bot.client.doRequest('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.power_levels/`) as PowerLevels;
  const need = pl.events?.['m.space.child'] ?? pl.state_default ?? 50;
  const has = pl.users?.[bot.userId] ?? pl.users_default ?? 0;
  if (has < need) {
    throw new MatrixConfigError(`the bridge bot ${bot.userId} may not add rooms to the team Space ${ref} (matrix.space): that takes power level ${need} (m.space.child), it has ${has}`,
      `give ${bot.userId} power level ${need} in the Space (Space settings → Roles & Permissions, e.g. Moderator), then start the bridge again`);
  }
  return roomId;
}

async function resolveAlias(bot: MatrixApi, alias: string): Promise<string> {
  try {
    const r = await bot.client.doRequest('GET', `/_matrix/client/v3/directory/room/${enc(alias)}`) as { room_id: string };
    return r.room_id;
  } catch (e) {
    if (errcodeOf(e) !== 'M_NOT_FOUND') throw e;
    throw new MatrixConfigError(`no room has the alias ${alias} (matrix.space)`, 'check the Space\'s address in its settings, or use its room id (!…:server)');
  }
}
