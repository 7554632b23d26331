// Python:  print(socket.getservbyport(80))
// Run:     node examples/lookup/getservbyport.mjs [port] [tcp|udp]
import { getservbyport } from 'netkit/lookup';

const [port = '80', proto] = process.argv.slice(2);
const { name } = await getservbyport(Number(port), proto);
console.log(name);
