import { describe, expect, it } from 'vitest';
import { DatagramPeers } from '../../../src/services/chat/protocol/datagram-peers.js';

describe('DatagramPeers', () => {
  it('remembers a peer on its first datagram and forgets it after the timeout of silence', () => {
    const peers = new DatagramPeers<string>({ timeoutMs: 1000, maxPeers: 10 });
    expect(peers.touch('a', 0, () => 'A')).toBe('new');
    expect(peers.touch('b', 500, () => 'B')).toBe('new');
    expect(peers.touch('a', 900, () => 'X')).toBe('known');
    expect(peers.get('a')).toBe('A');
    expect(peers.expire(1400)).toEqual([]);
    expect(peers.expire(1501)).toEqual(['b']);
    expect(peers.expire(1901)).toEqual(['a']);
    expect(peers.size).toBe(0);
  });

  it('a keepalive keeps a peer; the sweep returns the oldest first', () => {
    const peers = new DatagramPeers<number>({ timeoutMs: 100, maxPeers: 10 });
    for (let i = 0; i < 5; i++) peers.touch(`p${i}`, i, () => i);
    peers.touch('p0', 50, () => -1);
    expect(peers.expire(130)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(peers.get('p0')).toBe(0);
  });

  it('refuses a new peer when full, but not a known one', () => {
    const peers = new DatagramPeers<number>({ timeoutMs: 100, maxPeers: 2 });
    peers.touch('a', 0, () => 1);
    peers.touch('b', 0, () => 2);
    expect(peers.touch('c', 0, () => 3)).toBe('full');
    expect(peers.touch('a', 1, () => 9)).toBe('known');
    peers.remove('b');
    expect(peers.touch('c', 2, () => 3)).toBe('new');
  });
});
