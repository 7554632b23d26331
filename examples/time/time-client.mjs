// The lecture's time-and-date client over TCP: connect, read until the server closes, and
// print what it sent (and the instant it names, when the line is in a format we read).
// Run: node examples/time/time-client.mjs [HOST] [PORT]

import { parseDaytime } from 'netkit/daytime';
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50013'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_STREAM);
await s.connect([host, Number(port)]);
let text = '';
while (true) {
  const data = await s.recv(1024);
  if (data.length === 0) break; // the server closed: the reply is complete
  text += data.toString();
}
await s.close();
console.log(text.trim());
console.log('parsed:', parseDaytime(text).toISOString());
