/**
 * An in-memory bus between federated hubs, standing in for Redis in pure tests: publishes
 * reach every other hub at once, claims are settled against one shared nick → hub table.
 */
import type { ChatDelivery, ClientId, FederationMessage } from '../../../src/services/chat/protocol/hub.js';
import { ChatHub } from '../../../src/services/chat/protocol/hub.js';
import { T } from './helpers.js';

export class FakeBus {
  readonly hubs = new Map<string, ChatHub>();
  readonly nicks = new Map<string, string>();
  /** Lines each client got, by `hub/client`. */
  readonly lines = new Map<string, string[]>();
  readonly closed: string[] = [];
  /** Every message published, as it went on the bus. */
  readonly published: FederationMessage[] = [];
  /** Hubs cut off from the bus: what they publish is lost, their claims granted locally. */
  readonly cutOff = new Set<string>();

  addHub(id: string): ChatHub {
    const hub = new ChatHub({ floodRate: 0, federated: true });
    this.hubs.set(id, hub);
    return hub;
  }

  /** Carries out `deliveries` made by hub `id`, and everything they cause. */
  run(id: string, deliveries: ChatDelivery[]): void {
    const hub = this.hubs.get(id)!;
    for (const d of deliveries) {
      switch (d.type) {
        case 'send': {
          const key = `${id}/${d.to}`;
          this.lines.set(key, [...(this.lines.get(key) ?? []), d.line]);
          break;
        }
        case 'close':
          this.closed.push(`${id}/${d.to}`);
          this.run(id, hub.disconnect(d.to, T));
          break;
        case 'publish': {
          if (this.cutOff.has(id)) break;
          const message = { ...d.message, hub: id };
          this.published.push(message);
          for (const [other, otherHub] of this.hubs)
            if (other !== id && !this.cutOff.has(other)) this.run(other, otherHub.remote(message, T));
          break;
        }
        case 'claim': {
          const key = d.nick.toLowerCase();
          const holder = this.cutOff.has(id) ? undefined : this.nicks.get(key);
          const granted = holder === undefined || holder === id;
          if (granted && !this.cutOff.has(id)) this.nicks.set(key, id);
          this.run(id, hub.claimResult(d.to, d.nick, granted, T));
          break;
        }
        case 'release':
          if (!this.cutOff.has(id) && this.nicks.get(d.nick.toLowerCase()) === id)
            this.nicks.delete(d.nick.toLowerCase());
          break;
      }
    }
  }

  connect(id: string, client: ClientId): void {
    this.run(id, this.hubs.get(id)!.connect(client, T));
  }

  say(id: string, client: ClientId, line: string): void {
    this.run(id, this.hubs.get(id)!.receive(client, line, T));
  }

  /** A client on hub `id` logged in as `nick`. */
  login(id: string, client: ClientId, nick: string): void {
    this.connect(id, client);
    this.say(id, client, nick);
  }

  /** Lines client `client` of hub `id` got since the last call. */
  take(id: string, client: ClientId): string[] {
    const key = `${id}/${client}`;
    const got = this.lines.get(key) ?? [];
    this.lines.set(key, []);
    return got;
  }
}
