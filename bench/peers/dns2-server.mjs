#!/usr/bin/env node
/**
 * The JavaScript peer of the DNS benchmark (bench/dns-serve.mjs): a UDP server built with the
 * npm package dns2, answering from the benchmark zone's A and CNAME records.
 *
 *   node bench/peers/dns2-server.mjs PORT RECORDS.json
 *
 * RECORDS.json: `{ "origin": "bench.test", "a": { name: address }, "cname": { name: target },
 * "wildcards": { "wild.bench.test": address } }` (names lower case, without the final dot).
 * It answers A for known names (following a CNAME to its target), a wildcard's A for names
 * under it, NOERROR with no answer for other types of a known name, and NXDOMAIN otherwise.
 * It knows no delegation: a name under a delegated subzone gets NXDOMAIN (no referral).
 * The handler does the work any dns2 zone server does; the cost measured is dns2's own
 * decode, Packet objects and encode.
 */
import { readFileSync } from 'node:fs';
import dns2 from 'dns2';

const { Packet } = dns2;
const port = Number(process.argv[2]);
const { a, cname, wildcards } = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const addresses = new Map(Object.entries(a));
const aliases = new Map(Object.entries(cname));
const wild = Object.entries(wildcards);

function wildcardAddress(name) {
  for (const [parent, address] of wild) if (name.endsWith(`.${parent}`)) return address;
  return undefined;
}

const server = dns2.createUDPServer((request, send) => {
  const response = Packet.createResponseFromRequest(request);
  const [question] = request.questions;
  const name = question.name.toLowerCase();
  const target = aliases.get(name);
  const address = addresses.get(target ?? name) ?? wildcardAddress(name);
  if (address === undefined && target === undefined) {
    response.header.rcode = Packet.RCODE.NXDOMAIN;
  } else if (question.type === Packet.TYPE.A) {
    if (target !== undefined) {
      response.answers.push({
        name,
        type: Packet.TYPE.CNAME,
        class: Packet.CLASS.IN,
        ttl: 3600,
        domain: target,
      });
    }
    if (address !== undefined) {
      response.answers.push({
        name: target ?? question.name,
        type: Packet.TYPE.A,
        class: Packet.CLASS.IN,
        ttl: 3600,
        address,
      });
    }
  }
  response.header.aa = 1;
  send(response);
});
server.on('requestError', () => {});
server.listen(port, '127.0.0.1');
