// A loopback-only homeserver.yaml for tests: SQLite, shared-secret
// registration, the bridge's appservice registration, no federation, and rate
// limits relaxed so a burst of test traffic is never throttled.
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';

export interface SynapseConfigInput {
  dir: string;
  port: number;
  serverName: string;
  sharedSecret: string;
  appserviceFiles: string[];
}

const relaxed = { per_second: 10_000, burst_count: 100_000 };

export function synapseConfig(i: SynapseConfigInput): string {
  return stringify({
    server_name: i.serverName,
    public_baseurl: `http://127.0.0.1:${i.port}/`,
    pid_file: `${i.dir}/homeserver.pid`,
    listeners: [{ port: i.port, bind_addresses: ['127.0.0.1'], type: 'http', tls: false, x_forwarded: false, resources: [{ names: ['client'], compress: false }] }],
    database: { name: 'sqlite3', args: { database: `${i.dir}/homeserver.db` } },
    media_store_path: `${i.dir}/media`,
    signing_key_path: `${i.dir}/signing.key`,
    log_config: `${i.dir}/log.yaml`,
    report_stats: false,
    enable_metrics: false,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    federation_domain_whitelist: [],
    macaroon_secret_key: randomBytes(24).toString('hex'),
    form_secret: randomBytes(24).toString('hex'),
    registration_shared_secret: i.sharedSecret,
    enable_registration: false,
    enable_authenticated_media: true,
    app_service_config_files: i.appserviceFiles,
    presence: { enabled: false },
    url_preview_enabled: false,
    encryption_enabled_by_default_for_room_type: 'off',
    rc_message: relaxed,
    rc_registration: relaxed,
    rc_registration_token_validity: relaxed,
    rc_login: { address: relaxed, account: relaxed, failed_attempts: relaxed },
    rc_joins: { local: relaxed, remote: relaxed },
    rc_joins_per_room: relaxed,
    rc_room_creation: relaxed,
    rc_invites: { per_room: relaxed, per_user: relaxed, per_issuer: relaxed },
    rc_3pid_validation: relaxed,
    rc_admin_redaction: relaxed,
    rc_media_create: relaxed,
    rc_presence: { per_user: relaxed },
    rc_delayed_event_mgmt: relaxed,
    max_upload_size: '50M',
  });
}

export function synapseLogConfig(dir: string): string {
  return stringify({
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s' } },
    handlers: { file: { class: 'logging.FileHandler', formatter: 'precise', filename: `${dir}/homeserver.log`, encoding: 'utf8' } },
    loggers: { synapse: { level: 'WARNING' }, 'synapse.storage.SQL': { level: 'WARNING' } },
    root: { level: 'WARNING', handlers: ['file'] },
    disable_existing_loggers: false,
  });
}
