// Python:  print(socket.gethostbyaddr('127.0.0.1'))
// Run:     node examples/lookup/gethostbyaddr.mjs [address]
import { gethostbyaddr } from 'netkit/lookup';

const address = process.argv[2] ?? '127.0.0.1';
const { hostname, aliases, addresses } = await gethostbyaddr(address);
console.log(hostname, aliases, addresses);
