/**
 * NOTIFY sent (RFC 1996), the I/O half: the pure NotifySender (protocol/notify.ts) says what to
 * send and when; this owns its UDP sockets (one an address family, on an ephemeral port) and
 * its timer, feeds it what comes back, and logs what became of each NOTIFY.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { ipFamily } from '../../core/ip.js';
import type { SoaRdata } from '../../dns/rdata/types.js';
import type { ResourceRecord } from '../../dns/record.js';
import type { TsigKey } from '../../dns/tsig.js';
import type { Logger } from '../../runtime/logger.js';
import { type NotifyOutcome, NotifySender, type NotifyTarget } from './protocol/notify.js';

/** The NotifySender's socket and timer. */
export class NotifyDriver {
  private readonly sender: NotifySender;
  private readonly sockets = new Map<4 | 6, Socket>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    targets: readonly NotifyTarget[],
    key: TsigKey | undefined,
    private readonly logger: Logger,
  ) {
    this.sender = new NotifySender(targets, { key });
  }

  zoneChanged(soa: ResourceRecord<SoaRdata>): void {
    if (!this.sender.hasTargets || this.closed) return;
    this.sender.zoneChanged(soa, Date.now(), () => randomInt(0, 0x10000));
    this.pump();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
  }

  private socket(family: 4 | 6): Socket {
    let socket = this.sockets.get(family);
    if (socket) return socket;
    socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.on('message', (data, from) => {
      const outcome = this.sender.response(new Uint8Array(data), from, Date.now());
      if (outcome) this.report(outcome);
    });
    socket.on('error', (error) => this.logger.warn({ err: error.message }, 'NOTIFY socket error'));
    socket.bind(0);
    this.sockets.set(family, socket);
    return socket;
  }

  private pump(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const { send, gaveUp } = this.sender.due(Date.now());
    for (const outcome of gaveUp) this.report(outcome);
    for (const notify of send) {
      const family = ipFamily(notify.target.host) === 6 ? 6 : 4;
      this.socket(family).send(notify.bytes, notify.target.port, notify.target.host, (error) => {
        if (error)
          this.logger.warn(
            { target: `${notify.target.host}:${notify.target.port}`, err: error.message },
            'NOTIFY not sent',
          );
      });
      this.logger.debug(
        {
          zone: notify.zone,
          serial: notify.serial,
          target: `${notify.target.host}:${notify.target.port}`,
          attempt: notify.attempt,
        },
        'NOTIFY sent',
      );
    }
    const next = this.sender.nextDueAt();
    if (next !== undefined) this.timer = setTimeout(() => this.pump(), Math.max(0, next - Date.now()));
  }

  private report(outcome: NotifyOutcome): void {
    const target = `${outcome.target.host}:${outcome.target.port}`;
    if (outcome.kind === 'acknowledged')
      this.logger.info(
        { zone: outcome.zone, serial: outcome.serial, target, attempts: outcome.attempts },
        'NOTIFY acknowledged',
      );
    else if (outcome.kind === 'rejected')
      this.logger.warn(
        { zone: outcome.zone, serial: outcome.serial, target, rcode: outcome.rcode },
        'NOTIFY rejected',
      );
    else
      this.logger.warn(
        { zone: outcome.zone, serial: outcome.serial, target, attempts: outcome.attempts },
        'NOTIFY never acknowledged: gave up',
      );
  }
}
