// The lecture's closing example, "programming DNS records", as dnspython's tutorial does it:
// ask for each kind of record and print it with its TTL.
// Run: node examples/dns/records.mjs [DOMAIN] [SERVER] [PORT]
//   e.g. node examples/dns/records.mjs example.test 127.0.0.1 5353 (a server of your own)
import { rdataToText } from 'netkit/dns';
import { resolve, resolveReverse } from 'netkit/resolver';

const [domain = 'example.test', server = '127.0.0.1', port = '53'] = process.argv.slice(2);
// Ask this server only, and take names as they are (no search list).
const options = { config: { nameservers: [server], attempts: 1 }, port: Number(port), search: false };

async function show(name, type, describe) {
  try {
    const answer = await resolve(name, type, options);
    for (const record of answer.records)
      console.log(`${type}\t${name}\tTTL ${record.ttl}\t${describe(record.data)}`);
    return answer;
  } catch (error) {
    console.log(`${type}\t${name}\t${error.code}: ${error.message}`);
    return undefined;
  }
}

const text = (record) => (data) => rdataToText(record, data);
const a = await show(domain, 'A', text(1));
await show(domain, 'AAAA', text(28));
await show(`www.${domain}`, 'CNAME', (data) => `alias of ${data.target}`);
await show(domain, 'MX', (data) => `${data.exchange} has preference ${data.preference}`);
await show(domain, 'NS', (data) => `name server ${data.target}`);
await show(
  domain,
  'SOA',
  (data) =>
    `serial ${data.serial}, refresh ${data.refresh}, retry ${data.retry}, expire ${data.expire}, minimum ${data.minimum}`,
);
await show(
  `_sip._tcp.${domain}`,
  'SRV',
  (data) => `${data.target}:${data.port} priority ${data.priority} weight ${data.weight}`,
);
await show(domain, 'TXT', (data) => data.strings.map((s) => new TextDecoder().decode(s)).join(''));
if (a) {
  const address = rdataToText(1, a.records[0].data);
  try {
    const answer = await resolveReverse(address, options);
    for (const record of answer.records)
      console.log(`PTR\t${address}\tTTL ${record.ttl}\t${record.data.target}`);
  } catch (error) {
    console.log(`PTR\t${address}\t${error.code}: ${error.message}`);
  }
}
