// The lecture's word server over TCP: for each word a client sends, reply with its length
// and its first character. Many clients at once: each accepted connection is served by
// its own async function while the loop goes back to accept().
// Run: node examples/words/word-server.mjs [HOST] [PORT]  (port 0: any free port)
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';
import { describeWord, splitWords } from 'netkit/words';

const [host = '127.0.0.1', port = '50008'] = process.argv.slice(2);

async function serveClient(conn, addr) {
  console.log('connected by', addr);
  let pending = '';
  while (true) {
    const data = await conn.recv(1024);
    if (data.length === 0) break; // the client closed its side
    pending += data.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      for (const word of splitWords(line)) {
        const { length, first } = describeWord(word);
        await conn.sendall(`${word}: ${length} characters, first ${first}\n`);
      }
      newline = pending.indexOf('\n');
    }
  }
  await conn.close();
  console.log('closed', addr);
}

const s = socket(AF_INET, SOCK_STREAM);
await s.bind([host, Number(port)]);
s.listen(5);
console.log(`listening on ${s.getsockname().join(':')}`);

while (true) {
  const [conn, addr] = await s.accept();
  serveClient(conn, addr); // not awaited: the next client is accepted at once
}
