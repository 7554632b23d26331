/** The router and the slow-reader rule, with fake sinks: no sockets. */
import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/services/chat/protocol/hub.js';
import { ChatRouter, type ChatSink } from '../../../src/services/chat/protocol/router.js';
import { T } from './helpers.js';

class FakeSink implements ChatSink {
  lines: string[] = [];
  queued = 0;
  /** A stalled peer: what is written stays queued. */
  stalled = false;
  ended = false;
  aborted = false;
  queuedBytes(): number {
    return this.queued;
  }
  write(_event: unknown, line: string): void {
    this.lines.push(line);
    if (this.stalled) this.queued += line.length + 1;
  }
  end(): void {
    this.ended = true;
  }
  abort(): void {
    this.aborted = true;
  }
}

function setup(nicks: string[], maxQueueBytes = 1000) {
  const slow: string[] = [];
  const router = new ChatRouter(new ChatHub({ floodRate: 0 }), {
    maxQueueBytes,
    onSlowReader: (id) => slow.push(String(id)),
  });
  const sinks = nicks.map((nick) => {
    const sink = new FakeSink();
    router.connect(nick, sink, T);
    router.receive(nick, nick, T);
    return sink;
  });
  return { router, sinks, slow };
}

describe('ChatRouter', () => {
  it('carries the greeting, the nickname reply and room traffic to each sink', () => {
    const { router, sinks } = setup(['ann', 'ben']);
    expect(sinks[0]!.lines.slice(0, 3)).toEqual([
      '-- welcome to netkit chat; type /help for the commands',
      expect.stringMatching(/^-- choose a nickname/),
      '-- you are ann',
    ]);
    router.receive('ben', 'hello', T);
    expect(sinks[0]!.lines.at(-1)).toBe('[13:45] #lobby <ben> hello');
    expect(sinks[1]!.lines.at(-1)).toBe('[13:45] #lobby <ben> hello');
  });

  it('does not greet a client connected with greet=false (UDP)', () => {
    const router = new ChatRouter(new ChatHub(), { maxQueueBytes: 1000 });
    const sink = new FakeSink();
    router.connect('u1', sink, T, false);
    expect(sink.lines).toEqual([]);
    router.receive('u1', 'ulla', T);
    expect(sink.lines[0]).toBe('-- you are ulla');
  });

  it('drops a stalled reader when its queue would pass the bound; the others get every message', () => {
    const { router, sinks, slow } = setup(['ann', 'ben', 'cid'], 1000);
    const [ann, ben, cid] = sinks as [FakeSink, FakeSink, FakeSink];
    ben.stalled = true;
    for (let i = 0; i < 100; i++) router.receive('ann', `message ${i} ${'x'.repeat(20)}`, T);
    expect(slow).toEqual(['ben']);
    expect(ben.aborted).toBe(true);
    expect(ben.queued).toBeLessThanOrEqual(1000);
    expect(router.stats.slowReadersDropped).toBe(1);
    expect(router.has('ben')).toBe(false);
    // The room heard ben quit, and every message reached ann and cid.
    expect(cid.lines).toContain('[13:45] #lobby -- ben quit');
    for (const sink of [ann, cid])
      expect(sink.lines.filter((line) => line.includes('<ann> message'))).toHaveLength(100);
    // ben's nickname is free again.
    const again = new FakeSink();
    router.connect('ben2', again, T);
    router.receive('ben2', 'ben', T);
    expect(again.lines).toContain('-- you are ben');
  });

  it('a close delivery (after /quit) ends the sink and forgets it', () => {
    const { router, sinks } = setup(['ann', 'ben']);
    router.receive('ben', '/quit', T);
    expect(sinks[1]!.ended).toBe(true);
    expect(router.has('ben')).toBe(false);
    expect(sinks[0]!.lines.at(-1)).toBe('[13:45] #lobby -- ben quit');
    // The transport's close event then disconnects again: nothing more happens.
    router.disconnect('ben', T);
    expect(router.clientCount).toBe(1);
  });
});
