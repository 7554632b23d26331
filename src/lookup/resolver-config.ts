/**
 * The two small files that change how glibc answers host lookups, pure:
 * - /etc/host.conf: `multi on` makes the files source merge every /etc/hosts line that
 *   matches a name (Debian ships it on); RESOLV_MULTI in the environment overrides it.
 * - /etc/resolv.conf: the search list and ndots decide which names the dns source asks for
 *   (resolv.conf(5)); LOCALDOMAIN and RES_OPTIONS in the environment override them.
 */

export interface HostConf {
  multi: boolean;
}

/** host.conf(5): keywords and on/off are case-insensitive; anything else is ignored. */
export function parseHostConf(text: string, env: { RESOLV_MULTI?: string | undefined } = {}): HostConf {
  let multi = false;
  for (const raw of text.split('\n')) {
    const [keyword, value] = raw.split('#', 1)[0]!.trim().split(/\s+/);
    if (keyword?.toLowerCase() === 'multi' && value !== undefined) multi = value.toLowerCase() === 'on';
  }
  const override = env.RESOLV_MULTI?.trim().toLowerCase();
  if (override === 'on' || override === 'off') multi = override === 'on';
  return { multi };
}

export interface ResolvConf {
  /** Domains tried for names with fewer than `ndots` dots; at most 6, as glibc keeps. */
  search: string[];
  ndots: number;
}

const MAX_SEARCH_DOMAINS = 6;
const MAX_NDOTS = 15;

function applyOptions(conf: ResolvConf, words: readonly string[]): void {
  for (const word of words) {
    const ndots = /^ndots:(\d+)$/.exec(word);
    if (ndots) conf.ndots = Math.min(Number(ndots[1]), MAX_NDOTS);
  }
}

function searchList(words: readonly string[]): string[] {
  return words.map((domain) => domain.replace(/\.$/, '')).slice(0, MAX_SEARCH_DOMAINS);
}

/**
 * resolv.conf(5): the last of `domain` and `search` wins. With neither, the search list
 * is the domain part of the host name, when it has one.
 */
export function parseResolvConf(
  text: string,
  hostname = '',
  env: { LOCALDOMAIN?: string | undefined; RES_OPTIONS?: string | undefined } = {},
): ResolvConf {
  const conf: ResolvConf = { search: [], ndots: 1 };
  let searchSet = false;
  for (const raw of text.split('\n')) {
    const words = raw.split(/[#;]/, 1)[0]!.trim().split(/\s+/).filter(Boolean);
    const [keyword, ...rest] = words;
    if (keyword === 'domain' && rest[0] !== undefined) {
      conf.search = searchList([rest[0]]);
      searchSet = true;
    } else if (keyword === 'search') {
      conf.search = searchList(rest);
      searchSet = true;
    } else if (keyword === 'options') {
      applyOptions(conf, rest);
    }
  }
  if (!searchSet && hostname.includes('.')) conf.search = [hostname.slice(hostname.indexOf('.') + 1)];
  if (env.LOCALDOMAIN !== undefined) conf.search = searchList(env.LOCALDOMAIN.split(/\s+/).filter(Boolean));
  if (env.RES_OPTIONS !== undefined) applyOptions(conf, env.RES_OPTIONS.split(/\s+/));
  return conf;
}

/**
 * The names res_search tries for `name`, in order: a trailing dot means exactly that name;
 * a name with at least `ndots` dots is tried as written first, then with each search
 * domain; a shorter one gets the search domains first and is tried as written last.
 */
export function searchCandidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const withDomains = conf.search.map((domain) => `${name}.${domain}`);
  return dots >= conf.ndots ? [name, ...withDomains] : [...withDomains, name];
}
