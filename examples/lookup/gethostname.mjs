// Python:  host = socket.gethostname()
//          print(host, socket.gethostbyname(host))
// Run:     node examples/lookup/gethostname.mjs
import { gethostbyname, gethostname } from 'netkit/lookup';

const host = gethostname();
console.log(host, await gethostbyname(host));
