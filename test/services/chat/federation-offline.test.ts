/** startFederation with no Redis to reach: it does not reject, the hub works alone, close() lets go. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/runtime/logger.js';
import { startFederation } from '../../../src/services/chat/federation/index.js';
import {
  type ChatDelivery,
  ChatHub,
  type FederationDelivery,
} from '../../../src/services/chat/protocol/hub.js';
import { freePort } from '../../helpers/netkit-process.js';

describe('chat federation without Redis', () => {
  it('resolves, grants nicknames locally, warns once, and leaves nothing running after close()', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout');
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const port = await freePort(); // nothing listens there
    const hub = new ChatHub({ federated: true, floodRate: 0 });
    const logs: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const lines: string[] = [];
    let handle: ((d: FederationDelivery) => void) | undefined;
    const dispatch = (deliveries: ChatDelivery[]) => {
      for (const d of deliveries) {
        if (d.type === 'send') lines.push(d.line);
        else if (d.type !== 'close') handle?.(d);
      }
    };
    const started = Date.now();
    const federation = await startFederation({
      url: `redis://127.0.0.1:${port}`,
      hub,
      dispatch,
      logger,
      clock: Date.now,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    handle = (d) => federation.handle(d);
    hub.connect(1, Date.now());
    dispatch(hub.receive(1, 'alice', Date.now()));
    dispatch(hub.receive(1, 'hello', Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContain('-- you are alice');
    expect(lines.at(-1)).toMatch(/#lobby <alice> hello$/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(logs.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'chat federation: cannot reach Redis; serving local users only, retrying',
    ]);
    await federation.close();
    // ioredis lets go of a socket within its disconnectTimeout (100 ms here).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    // Timers: vitest may have one of its own; none of ours may be left.
    expect(after.filter((r) => r !== 'Timeout').sort()).toEqual(before.sort());
    expect(after.filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(timersBefore);
  });

  it('rejects a URL that is not redis://', async () => {
    const hub = new ChatHub({ federated: true });
    const options = { hub, dispatch: () => {}, logger: silentLogger(), clock: Date.now };
    await expect(startFederation({ ...options, url: 'http://127.0.0.1:6379' })).rejects.toMatchObject({
      code: 'NK_CHAT_BAD_OPTION',
    });
    await expect(startFederation({ ...options, url: 'not a url' })).rejects.toMatchObject({
      code: 'NK_CHAT_BAD_OPTION',
    });
  });
});
