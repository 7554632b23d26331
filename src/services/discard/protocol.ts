/**
 * Discard (RFC 863): reads and drops everything, over TCP and UDP. Useful to measure
 * throughput: the runtime still counts the bytes (stats().bytesIn).
 */
import type { DatagramProtocol, StreamProtocol } from '../../runtime/service.js';

export const discardStream: StreamProtocol = {
  framing: 'raw',
  session: () => ({
    receive: () => [],
    // Keep reading until the peer is done, then close.
    end: () => [{ type: 'close' }],
  }),
};

export const discardDatagram: DatagramProtocol = {
  receive: () => [],
};
