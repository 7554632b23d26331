/**
 * Callers waiting for something a socket will produce (data, a datagram, a connection),
 * served first come, first served, so concurrent recv() calls get data in call order.
 * Each waiter may carry an argument (the bufsize of its recv) and a timeout; a timed-out
 * waiter leaves the queue and takes nothing, so the socket stays usable, as in Python.
 */
import { SocketTimeoutError } from './errors.js';

interface Waiter<T, A> {
  arg: A;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout | undefined;
}

export class WaitQueue<T, A = undefined> {
  private waiters: Waiter<T, A>[] = [];

  get length(): number {
    return this.waiters.length;
  }

  /**
   * Waits until resolveFirst() reaches this caller. `timeoutMs` null waits forever; 0 fails
   * at once (Python's non-blocking mode, reported as a timeout).
   */
  wait(arg: A, timeoutMs: number | null, operation: string): Promise<T> {
    if (timeoutMs === 0) return Promise.reject(SocketTimeoutError.after(operation, 0));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T, A> = { arg, resolve, reject, timer: undefined };
      if (timeoutMs !== null) {
        waiter.timer = setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          reject(SocketTimeoutError.after(operation, timeoutMs));
        }, timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /** The argument of the longest-waiting caller, if any. */
  peek(): A | undefined {
    return this.waiters[0]?.arg;
  }

  resolveFirst(value: T): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.resolve(value);
  }

  rejectFirst(error: unknown): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.reject(error);
  }

  rejectAll(error: unknown): void {
    while (this.waiters.length > 0) this.rejectFirst(error);
  }
}

/**
 * Resolves when `event` fires on `emitter`; rejects on 'error' or after the timeout. On
 * 'close', rejects with what `onClose` returns, or resolves if that is undefined.
 */
export function waitForEvent(
  emitter: NodeJS.EventEmitter,
  event: string,
  timeoutMs: number | null,
  operation: string,
  onClose: () => unknown,
): Promise<void> {
  if (timeoutMs === 0) return Promise.reject(SocketTimeoutError.after(operation, 0));
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
      emitter.off('error', onError);
      emitter.off('close', onClosed);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onEvent = () => finish();
    const onError = (error: unknown) => finish(error);
    const onClosed = () => finish(onClose());
    emitter.on(event, onEvent);
    emitter.on('error', onError);
    emitter.on('close', onClosed);
    if (timeoutMs !== null)
      timer = setTimeout(() => finish(SocketTimeoutError.after(operation, timeoutMs)), timeoutMs);
  });
}

/** `promise`, or a timeout error after `timeoutMs` (null: no limit). */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number | null, operation: string): Promise<T> {
  if (timeoutMs === null) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(SocketTimeoutError.after(operation, timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
