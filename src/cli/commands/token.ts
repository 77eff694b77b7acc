// `imessage-bridge token new|list|revoke`: API tokens. A new token is printed
// once; only its SHA-256 hash is stored in the bridge database.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { defaultConfig, loadConfig } from '../../config/load.ts';
import { openBridgeDb } from '../../core/db/bridgeDb.ts';
import { SCOPES, TokenError, TokenStore, type Scope } from '../../api/tokens.ts';
import { apiKit } from '../../core/kit/api.ts';

function openStore(configFile: string | undefined): { store: TokenStore; close: () => void } {
  const file = configFile ?? (existsSync('config.yaml') ? 'config.yaml' : undefined);
  const cfg = file ? loadConfig(file) : defaultConfig();
  const db = openBridgeDb(cfg.bridge.database);
  return { store: new TokenStore(apiKit(db).storage), close: () => db.close() };
}

export function parseScopes(s: string): Scope[] {
  const scopes = s.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = scopes.filter((x) => !SCOPES.includes(x as Scope));
  if (bad.length > 0 || scopes.length === 0) throw new TokenError(`Unknown scope ${bad.join(', ') || '(none)'}.`, `Scopes are ${SCOPES.join(', ')}; e.g. --scope read,send.`);
  return scopes as Scope[];
}

const fmtDate = (ms: number | null): string => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) : '-');

export function registerToken(program: Command): void {
  const token = program.command('token').description('Manage API tokens (stored hashed; shown once)');
  token.command('new')
    .description('Create a token and print it once')
    .requiredOption('--scope <scopes>', 'read, send, or read,send')
    .option('--name <name>', 'a name to recognise and revoke it by')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .action((o: { scope: string; name?: string; config?: string }) => {
      const { store, close } = openStore(o.config);
      try {
        const { token: t, info } = store.create(parseScopes(o.scope), o.name);
        process.stdout.write(`${t}\n`);
        process.stderr.write(`Created token "${info.name}" (${info.scopes.join(',')}). It is shown only this once; store it now.\nUse it as: Authorization: Bearer <token>\n`);
      } finally { close(); }
    });
  token.command('list')
    .description('List tokens (never their values)')
    .option('--config <file>', 'config file')
    .action((o: { config?: string }) => {
      const { store, close } = openStore(o.config);
      try {
        const rows = store.list();
        if (rows.length === 0) { process.stdout.write('no tokens\n'); return; }
        for (const r of rows) {
          process.stdout.write(`${r.id}  ${r.name.padEnd(20)} ${r.scopes.join(',').padEnd(10)} created ${fmtDate(r.createdAt)}  used ${fmtDate(r.lastUsedAt)}${r.revokedAt ? `  REVOKED ${fmtDate(r.revokedAt)}` : ''}\n`);
        }
      } finally { close(); }
    });
  token.command('revoke <nameOrId>')
    .description('Revoke a token by name or id')
    .option('--config <file>', 'config file')
    .action((nameOrId: string, o: { config?: string }) => {
      const { store, close } = openStore(o.config);
      try {
        const r = store.revoke(nameOrId);
        if (!r) throw new TokenError(`No active token named or with id "${nameOrId}".`, 'See `imessage-bridge token list`.');
        process.stdout.write(`revoked ${r.name}\n`);
      } finally { close(); }
    });
}
