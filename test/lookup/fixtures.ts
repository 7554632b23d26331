/**
 * Rich /etc/hosts and /etc/services fixtures: every corner glibc's files backend has an
 * opinion on. The unit tests state what glibc answers for them (observed with Python and
 * getent on glibc 2.36 with the fixture bind-mounted over /etc), and the fixture
 * differential test checks those answers against glibc again on every run.
 */

export const RICH_HOSTS = [
  '# comment line',
  '',
  '10.0.0.1   alpha.example  alpha  a1 # trailing comment',
  '  10.0.0.2\tbeta beta-alias',
  '::1 localhost6 ip6-localhost',
  'fe80::1 link6',
  '10.0.0.3 alpha.example alpha2',
  '10.0.0.1 other',
  'garbage-line-without-address name',
  '10.0.0.4',
  '::ffff:10.0.0.5 mapped',
  'fd00::5 alpha.example v6only',
  '127.0.0.1 localhost',
  '10.0.0.6 Dup dup DUP',
  '010.0.0.7 octal',
  '10.0.0.8 h#ash x',
  '2001:db8::1 dual',
  '10.0.0.9 dual',
  '10.0.0.10 zeta shared z',
  '10.0.0.11 eta shared z eta2',
  '10.0.0.10 zeta2 shared',
  '10.0.0.12 Shared',
  '::1 shared',
  'fd00::7 shared',
  'fe80::2%eth0 zoned',
  '10.0.0.13 crlf crlf-alias\r',
  '\t# indented comment',
  '10.0.0.14\vvtab',
  '300.1.2.3 badv4',
  '',
].join('\n');

/** Every name, alias, address and tricky query for RICH_HOSTS. */
export const RICH_HOST_QUERIES = [
  ...['alpha', 'alpha.example', 'ALPHA', 'a1', 'alpha2', 'other', 'beta', 'beta-alias', 'name'],
  ...['localhost6', 'ip6-localhost', 'link6', 'mapped', 'v6only', 'localhost', 'LOCALHOST'],
  ...['dup', 'Dup', 'h', 'ash', 'x', 'octal', 'dual', 'shared', 'SHARED', 'z', 'eta', 'eta2'],
  ...['zeta2', 'zoned', 'crlf', 'crlf-alias', 'vtab', 'badv4', 'no-such-host.invalid'],
  ...['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.7', '10.0.0.10', '10.0.0.13'],
  ...['127.0.0.1', '::1', 'fe80::1', '::ffff:10.0.0.5', 'fd00::5', '2001:db8::1', '::', '0.0.0.0'],
  ...['::ffff:127.0.0.1', 'fe80::2', '127.1', '017.0.0.1', '10.0.0.4.', '<broadcast>'],
];

export const RICH_SERVICES = [
  '# fixture',
  '',
  'hexa 0x50/tcp hexalias',
  'octa 010/udp',
  'plus +7/tcp',
  'minus -1/tcp',
  'big 70000/tcp',
  'huge 4294967296/tcp',
  'max32 4294967295/udp',
  'wrapped -18446744073709551615/tcp',
  'noproto 99',
  'slash 98/',
  'dslash 97//tcp d2',
  'nameonly',
  'weird 12x/tcp',
  'crlf 13/tcp crlfalias\r',
  '  lead\t14/udp\tl1 l2  ',
  'dup 15/tcp first',
  'dup 16/tcp second',
  'dup 15/udp third',
  'Case 17/TCP',
  'appletalk 1/ddp',
  'sc 18/sctp',
  'svc#x 5/tcp',
  'svc2 6/tc#p',
  'zero 0/tcp',
  'max 65535/udp',
  'spacey 20 /tcp',
  'tab\t21/tcp',
  'hex0 0x/tcp',
  'octbad 08/tcp',
  'neg0 -0/udp',
  '0x10/tcp num',
  '   # indented comment',
  'http 80/tcp www',
  'http 80/udp www',
].join('\n');

export const RICH_SERVICE_NAMES = [
  ...['hexa', 'hexalias', 'octa', 'plus', 'minus', 'big', 'huge', 'max32', 'wrapped', 'noproto'],
  ...['slash', 'dslash', 'd2', 'nameonly', 'weird', 'crlf', 'crlfalias', 'lead', 'l1', 'l2', 'dup'],
  ...['first', 'second', 'third', 'Case', 'case', 'appletalk', 'sc', 'svc', 'svc#x', 'svc2', 'zero'],
  ...['max', 'spacey', 'tab', 'hex0', 'octbad', 'neg0', 'num', '0x10', 'http', 'www', 'HTTP', ''],
];

export const RICH_SERVICE_PROTOS = [null, 'tcp', 'udp', 'TCP', 'ddp', 'sctp', ''];

export const RICH_SERVICE_PORTS = [0, 1, 5, 6, 7, 8, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 80];
RICH_SERVICE_PORTS.push(97, 98, 99, 4464, 65534, 65535);
