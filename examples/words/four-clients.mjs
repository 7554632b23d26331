// The lecture's exercise: four clients at once, each sending its own words to the word
// server, one word at a time, printing the replies as they arrive.
// Run: node examples/words/four-clients.mjs [HOST] [PORT]
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50008'] = process.argv.slice(2);

const wordsOf = [
  ['apple', 'banana', 'cherry'],
  ['naïve', 'café', 'jalapeño'],
  ['socket', 'bind', 'listen'],
  ['👍🏽', 'नमस्ते', '東京'],
];

async function client(number, words) {
  const s = socket(AF_INET, SOCK_STREAM);
  await s.connect([host, Number(port)]);
  for (const word of words) {
    await s.sendall(`${word}\n`);
    const reply = await s.recv(1024); // one word, one short reply line
    console.log(`client ${number}: ${reply.toString().trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the others take turns
  }
  await s.close();
}

await Promise.all(wordsOf.map((words, i) => client(i + 1, words)));
