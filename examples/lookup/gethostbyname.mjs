// Python:  print(socket.gethostbyname('localhost'))
// Run:     node examples/lookup/gethostbyname.mjs [name]   (after npm run build)
import { gethostbyname } from 'netkit/lookup';

const name = process.argv[2] ?? 'localhost';
console.log(await gethostbyname(name));
