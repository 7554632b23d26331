import {
  type ChatDelivery,
  ChatHub,
  type ChatOptions,
  type ClientId,
} from '../../../src/services/chat/hub.js';

/** 2026-01-02 13:45:30 UTC: lines show `[13:45]`. */
export const T = Date.UTC(2026, 0, 2, 13, 45, 30);

export function linesTo(deliveries: ChatDelivery[], to: ClientId): string[] {
  return deliveries.flatMap((d) => (d.type === 'send' && d.to === to ? [d.line] : []));
}

export function recipients(deliveries: ChatDelivery[]): ClientId[] {
  return [...new Set(deliveries.flatMap((d) => ('to' in d ? [d.to] : [])))];
}

export function errorCodes(deliveries: ChatDelivery[]): string[] {
  return deliveries.flatMap((d) => (d.type === 'send' && d.event.type === 'error' ? [d.event.code] : []));
}

export function closed(deliveries: ChatDelivery[]): ClientId[] {
  return deliveries.flatMap((d) => (d.type === 'close' ? [d.to] : []));
}

/** A hub with clients logged in under the given nicknames (ids 1, 2, 3...). */
export function hubWith(nicks: string[], options: ChatOptions = {}): ChatHub {
  const hub = new ChatHub({ floodRate: 0, ...options });
  nicks.forEach((nick, i) => {
    hub.connect(i + 1, T);
    hub.receive(i + 1, nick, T);
  });
  return hub;
}
