// The local interfaces, as ipconfig (Windows) or ip addr (Linux) show them.
// Python needs a third-party package (psutil.net_if_addrs) for this; node has it built in.
// Run:     node examples/lookup/ipconfig.mjs
import { gethostname, interfaces } from 'netkit/lookup';

console.log(`Host name: ${gethostname()}`);
for (const iface of interfaces()) {
  console.log(`\n${iface.name}${iface.internal ? ' (loopback)' : ''}`);
  console.log(`   Physical address: ${iface.mac}`);
  for (const address of iface.addresses) {
    const mask = address.family === 4 ? `   subnet mask ${address.netmask}` : '';
    console.log(`   IPv${address.family} address:     ${address.cidr}${mask}`);
  }
}
