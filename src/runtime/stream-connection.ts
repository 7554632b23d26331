/**
 * One stream connection (TCP or Unix): framing, the session's actions, backpressure,
 * idle timeout and graceful close. Nothing a peer sends can make it buffer without bound:
 * the framer caps a line, and reading pauses while the peer is not reading our replies.
 */
import type { Socket } from 'node:net';
import { LineTooLongError, type NetkitError, RemoteError } from '../core/errors.js';
import { type FrameEvent, LineFramer } from '../core/line-framer.js';
import { wallClockMs } from './clock.js';
import { IdleTimeoutError, InternalError } from './errors.js';
import type { ConnectionInfo, Framer, StreamAction, StreamSession } from './service.js';
import type { ServiceContext } from './service-context.js';

/** How long a closing connection waits for its peer to finish before it is destroyed. */
const CLOSE_LINGER_MS = 5_000;

// Pushed writes leave after the event loop's current poll phase (setImmediate), not at the
// end of the tick: under load, the messages of every sender read in one phase go to each
// recipient in one write, so the cost per delivery falls as the load grows; when idle, the
// phase holds one message and it leaves at once. One callback for every corked connection.
let corkedConnections: StreamConnection[] = [];
function scheduleUncork(connection: StreamConnection): void {
  if (corkedConnections.length === 0) setImmediate(uncorkAll);
  corkedConnections.push(connection);
}
function uncorkAll(): void {
  const connections = corkedConnections;
  corkedConnections = [];
  for (const connection of connections) connection.uncork();
}

export class StreamConnection {
  private readonly framer: Framer | undefined;
  private readonly session: StreamSession;
  private closing = false;
  private draining = false;
  private closed = false;
  /** While a chunk is handled, replies collect here and leave together (see flush). */
  private batching = false;
  private batch: (Uint8Array | string)[] = [];
  private batchHasBytes = false;
  /** Corked by push() until the end of the event loop phase. */
  private corked = false;
  /** Bytes written while corked (this phase). */
  private corkedBytes = 0;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly context: ServiceContext,
  ) {
    const stream = context.service.stream!;
    const { limits } = context;
    if (stream.framing === 'line') this.framer = new LineFramer(limits.maxLineBytes);
    else if (stream.framing === 'raw') this.framer = undefined;
    else this.framer = stream.framing(limits);
    this.session = stream.session(info, {
      push: (actions) => this.push(actions),
      // What the peer left unread from earlier phases: this phase's corked writes have not had
      // a chance to leave yet, and a reader that keeps up must not look slow.
      queuedBytes: () => Math.max(0, this.socket.writableLength - this.corkedBytes),
      abort: () => this.socket.destroy(),
    });
  }

  start(): void {
    const { socket, context } = this;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (error) =>
      context.logger.debug({ conn: this.info.id, err: error }, 'connection error'),
    );
    socket.on('close', () => this.onClose());
    socket.on('drain', () => {
      if (!this.closing) socket.resume();
    });
    if (context.limits.idleTimeoutMs > 0) {
      socket.setTimeout(context.limits.idleTimeoutMs, () => this.onIdle());
    }
    this.run(() => this.session.open?.(wallClockMs()) ?? []);
  }

  /** Graceful shutdown: finish the request in flight (if any), flush, close. */
  shutdown(): void {
    if (this.closing) return;
    this.draining = true;
    if (!this.framer?.hasPartial) this.close();
  }

  /**
   * Actions from outside this connection's own requests (SessionLink.push). Writes in one
   * event-loop phase are corked and leave together: a burst of chat messages costs one syscall.
   */
  private push(actions: StreamAction[]): void {
    if (this.closing || this.socket.destroyed) return;
    if (!this.batching && !this.corked) {
      this.corked = true;
      this.socket.cork();
      scheduleUncork(this);
    }
    for (const action of actions) {
      if (this.closing) break;
      if (action.type === 'send') this.send(action.data);
      else this.close();
    }
  }

  /** The end of the phase: what push() wrote in it leaves in one write. */
  uncork(): void {
    this.corked = false;
    this.corkedBytes = 0;
    this.socket.uncork();
  }

  /** Shutdown deadline passed: drop the connection now. */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    const { stats } = this.context;
    stats.bytesIn += chunk.length;
    const frames: FrameEvent[] = this.framer ? this.framer.push(chunk) : [{ type: 'line', line: chunk }];
    // Batch: the replies to every request in this chunk leave in one write, not one each.
    this.batching = true;
    this.handleFrames(frames);
    this.batching = false;
    this.flush();
    if (this.draining && !this.framer?.hasPartial) this.close();
    // Backpressure: stop reading while the peer is not taking our replies.
    if (!this.closing && this.socket.writableNeedDrain) this.socket.pause();
  }

  private onEnd(): void {
    if (this.closing) return;
    if (this.framer) this.handleFrames(this.framer.finish());
    if (this.closing) return;
    const actions = this.run(() => this.session.end?.(wallClockMs()) ?? [{ type: 'close' }]);
    if (!actions.some((action) => action.type === 'close') && !this.closing) {
      // The session wants to keep talking after the peer's FIN (half-open); it must close later.
      this.context.logger.debug({ conn: this.info.id }, 'peer finished sending; connection left half-open');
    }
  }

  private onIdle(): void {
    if (this.closing) {
      this.socket.destroy();
      return;
    }
    this.context.logger.info({ conn: this.info.id, remote: this.info.remote }, 'idle timeout');
    this.sendError(new IdleTimeoutError(this.context.limits.idleTimeoutMs));
    this.close();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    try {
      this.session.closed?.(wallClockMs());
    } catch (error) {
      this.context.logger.error({ conn: this.info.id, err: error }, 'session cleanup failed');
    }
    this.context.connectionClosed(this);
  }

  private handleFrames(frames: FrameEvent[]): void {
    // One clock read per chunk: the requests in it arrived together.
    const now = wallClockMs();
    for (const frame of frames) {
      if (this.closing) return;
      if (frame.type === 'line') {
        this.context.stats.requests++;
        this.run(() => this.session.receive(frame.line, now));
        // Shutting down: the request in flight is done; later ones are not taken.
        if (this.draining) this.close();
      } else {
        this.context.stats.errors++;
        this.context.logger.info(
          { conn: this.info.id, remote: this.info.remote, limit: frame.limit },
          'line too long',
        );
        if (this.session.lineTooLong) this.run(() => this.session.lineTooLong!(frame.limit, now));
        else this.sendError(new LineTooLongError(frame.limit));
      }
    }
  }

  /** Runs session code; a RemoteError is answered, anything else is a bug: logged, answered, closed. */
  private run(step: () => StreamAction[]): StreamAction[] {
    let actions: StreamAction[];
    try {
      actions = step();
    } catch (error) {
      this.context.stats.errors++;
      if (error instanceof RemoteError) {
        this.context.logger.info(
          { conn: this.info.id, code: error.code, msg: error.message },
          'protocol error',
        );
        this.send(error.reply ?? this.context.formatError(error));
        return [];
      }
      this.context.logger.error({ conn: this.info.id, err: error }, 'protocol core failed');
      this.sendError(new InternalError(error));
      this.close();
      return [];
    }
    for (const action of actions) {
      if (this.closing) break;
      if (action.type === 'send') this.send(action.data);
      else this.close();
    }
    return actions;
  }

  private sendError(error: NetkitError): void {
    this.send(this.context.formatError(error));
  }

  private send(data: Uint8Array | string): void {
    if (this.closing || this.socket.destroyed) return;
    if (this.batching) {
      this.batch.push(data);
      if (typeof data !== 'string') this.batchHasBytes = true;
      return;
    }
    this.write(data);
  }

  /** Writes the batched replies as one buffer: one write call instead of one per request. */
  private flush(): void {
    if (this.batch.length === 0) return;
    const parts = this.batch;
    this.batch = [];
    if (parts.length === 1) this.write(parts[0]!);
    else if (!this.batchHasBytes) this.write((parts as string[]).join(''));
    else
      this.write(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))));
    this.batchHasBytes = false;
  }

  private write(data: Uint8Array | string): void {
    if (this.socket.destroyed) return;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.context.stats.bytesOut += bytes.length;
    if (this.corked) this.corkedBytes += bytes.length;
    this.socket.write(bytes);
  }

  private close(): void {
    if (this.closing) return;
    // Replies already produced go out before the FIN.
    this.flush();
    this.closing = true;
    this.socket.end();
    // A peer that never closes its side must not hold the connection forever.
    this.socket.setTimeout(Math.min(CLOSE_LINGER_MS, this.context.limits.idleTimeoutMs || CLOSE_LINGER_MS));
    this.socket.resume();
  }
}
