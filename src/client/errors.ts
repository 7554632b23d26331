/** Errors of the request/reply clients (netkit calc, words, echo, daytime, time, sntp). */
import { NetkitError } from '../core/errors.js';

export class RequestTimeoutError extends NetkitError {
  constructor(endpoint: string, tries: number, timeoutMs: number) {
    const what =
      tries > 1 ? ` after ${tries} tries of ${timeoutMs / 1000} s` : ` within ${timeoutMs / 1000} s`;
    super('NK_REQUEST_TIMEOUT', `no reply from ${endpoint}${what}`, {
      details: { endpoint, tries, timeoutMs },
    });
  }
}

export class ConnectionClosedError extends NetkitError {
  constructor(endpoint: string) {
    super('NK_CONN_CLOSED', `${endpoint} closed the connection before replying`, { details: { endpoint } });
  }
}
