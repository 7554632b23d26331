/**
 * Echo (RFC 862): over TCP every byte that arrives is sent back as it comes (no framing);
 * over UDP each datagram is sent back as it is. The runtime provides backpressure, so a
 * peer that sends without reading stalls itself, not the server.
 */
import type { DatagramProtocol, StreamProtocol } from '../../runtime/service.js';

export const echoStream: StreamProtocol = {
  framing: 'raw',
  session: () => ({
    receive: (chunk) => [{ type: 'send', data: chunk }],
  }),
};

export const echoDatagram: DatagramProtocol = {
  receive: (datagram) => [datagram],
};
