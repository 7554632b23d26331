/** Registers every record type the codec knows; importing netkit/dns does it. */
import './basic.js';
import './security.js';
import './tsig.js';
