/**
 * /etc/nsswitch.conf, pure: which sources a database consults, in order, and what to do
 * after each one (nsswitch.conf(5)). A line is `database: source [STATUS=action ...] source ...`;
 * STATUS is success, notfound, unavail or tryagain (a leading '!' negates it), action is
 * return, continue or merge. Without an action, success returns and the rest continue.
 */

export type NssStatus = 'success' | 'notfound' | 'unavail' | 'tryagain';
export type NssAction = 'return' | 'continue';

export interface NssSource {
  name: string;
  /** The action for each status, defaults filled in. */
  actions: Record<NssStatus, NssAction>;
}

export type NsswitchConfig = Map<string, NssSource[]>;

const STATUSES: readonly NssStatus[] = ['success', 'notfound', 'unavail', 'tryagain'];

/** What glibc uses for `hosts` when nsswitch.conf has no such line (nss/nss_database.c). */
export const DEFAULT_HOSTS_SOURCES = 'dns [!UNAVAIL=return] files';

function defaultActions(): Record<NssStatus, NssAction> {
  return { success: 'return', notfound: 'continue', unavail: 'continue', tryagain: 'continue' };
}

/** Applies one `[...]` group to the source before it; unknown words are ignored, as glibc does. */
function applyActions(source: NssSource, group: string): void {
  for (const item of group.split(/\s+/).filter(Boolean)) {
    const match = /^(!?)([a-z]+)=([a-z]+)$/i.exec(item);
    if (!match) continue;
    const negate = match[1] === '!';
    const status = match[2]!.toLowerCase() as NssStatus;
    const word = match[3]!.toLowerCase();
    if (!STATUSES.includes(status)) continue;
    // `merge` only makes sense for group databases; for hosts glibc treats it as continue.
    const action: NssAction | undefined =
      word === 'return' ? 'return' : word === 'continue' || word === 'merge' ? 'continue' : undefined;
    if (!action) continue;
    for (const each of negate ? STATUSES.filter((s) => s !== status) : [status])
      source.actions[each] = action;
  }
}

/** The sources of one database line's right-hand side. */
export function parseSources(text: string): NssSource[] {
  const sources: NssSource[] = [];
  const tokens = text.match(/\[[^\]]*\]?|[^\s[]+/g) ?? [];
  for (const token of tokens) {
    if (token.startsWith('[')) {
      const last = sources[sources.length - 1];
      if (last) applyActions(last, token.replace(/^\[|\]$/g, ''));
    } else {
      sources.push({ name: token, actions: defaultActions() });
    }
  }
  return sources;
}

export function parseNsswitch(text: string): NsswitchConfig {
  const config: NsswitchConfig = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.split('#', 1)[0]!;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const database = line.slice(0, colon).trim();
    if (!/^[a-z_]+$/i.test(database)) continue;
    // As in glibc, the first line for a database is the one that counts.
    if (!config.has(database)) config.set(database, parseSources(line.slice(colon + 1)));
  }
  return config;
}

/** The `hosts` sources, or glibc's default when the file has none. */
export function hostsSources(config: NsswitchConfig | undefined): NssSource[] {
  const sources = config?.get('hosts');
  return sources && sources.length > 0 ? sources : parseSources(DEFAULT_HOSTS_SOURCES);
}
