/**
 * The UDP side of the chat, as the lecture has it: there is no connection, so a peer is
 * whoever sent a datagram from an address and port, it joins with its first datagram, and
 * it is forgotten after `timeoutMs` of silence (clients send an empty datagram as a
 * keepalive). Pure: `now` comes in, the transport sweeps with `expire(now)` on a timer.
 */

export interface DatagramPeersOptions {
  /** Silence after which a peer is forgotten, in ms. */
  timeoutMs: number;
  /** Peers remembered at once; a new peer past it is refused. */
  maxPeers: number;
}

export type TouchResult = 'known' | 'new' | 'full';

export class DatagramPeers<T> {
  /** Key → peer, in order of last activity (a Map keeps insertion order; touch re-inserts). */
  private readonly peers = new Map<string, { data: T; lastSeen: number }>();

  constructor(private readonly options: DatagramPeersOptions) {}

  get size(): number {
    return this.peers.size;
  }

  get(key: string): T | undefined {
    return this.peers.get(key)?.data;
  }

  /** A datagram from `key`: 'new' (and remembered with `data()`), 'known', or 'full'. */
  touch(key: string, now: number, data: () => T): TouchResult {
    const peer = this.peers.get(key);
    if (peer) {
      this.peers.delete(key);
      peer.lastSeen = Math.max(peer.lastSeen, now);
      this.peers.set(key, peer);
      return 'known';
    }
    if (this.peers.size >= this.options.maxPeers) return 'full';
    this.peers.set(key, { data: data(), lastSeen: now });
    return 'new';
  }

  remove(key: string): void {
    this.peers.delete(key);
  }

  /** Forgets the peers silent for longer than the timeout and returns their keys, oldest first. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [key, peer] of this.peers) {
      // In order of last activity: the first peer still fresh ends the sweep.
      if (now - peer.lastSeen <= this.options.timeoutMs) break;
      gone.push(key);
    }
    for (const key of gone) this.peers.delete(key);
    return gone;
  }
}
