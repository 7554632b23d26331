/** Counters per service, readable from the library (RunningService.stats()). */
export interface ServiceStats {
  /** Stream connections accepted since start. */
  connectionsTotal: number;
  /** Stream connections open now. */
  connectionsOpen: number;
  /** Stream connections refused because the service was full. */
  connectionsRefused: number;
  /** Frames (lines, chunks, datagrams) handed to the protocol. */
  requests: number;
  /** Errors: protocol errors answered, limit violations, internal errors. */
  errors: number;
  /** Datagrams dropped: over the size limit, over the rate, or unanswerable. */
  datagramsDropped: number;
  bytesIn: number;
  bytesOut: number;
}

export function emptyStats(): ServiceStats {
  return {
    connectionsTotal: 0,
    connectionsOpen: 0,
    connectionsRefused: 0,
    requests: 0,
    errors: 0,
    datagramsDropped: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
}
