// Python:  hostname, aliases, addresses = socket.gethostbyname_ex('localhost')
// Run:     node examples/lookup/gethostbyname-ex.mjs [name]
import { gethostbynameEx } from 'netkit/lookup';

const name = process.argv[2] ?? 'localhost';
const { hostname, aliases, addresses } = await gethostbynameEx(name);
console.log('Name:     ', hostname);
console.log('Aliases:  ', aliases.join(' '));
console.log('Addresses:', addresses.join(' '));
