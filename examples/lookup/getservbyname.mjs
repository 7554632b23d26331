// Python:  print(socket.getservbyname('http', 'tcp'))
// Run:     node examples/lookup/getservbyname.mjs [service] [tcp|udp]
import { getservbyname } from 'netkit/lookup';

const [service = 'http', proto = 'tcp'] = process.argv.slice(2);
const { port } = await getservbyname(service, proto);
console.log(port);
