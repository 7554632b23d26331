/**
 * The zone replication cores' one error: a journal file that does not read back, deltas that do
 * not apply to the zone they are given, or a transfer response that cannot be used. `details`
 * says what (`reason`, `rcode`, serials).
 */
import { LocalError, type NetkitErrorOptions } from '../../core/errors.js';

export class DnsTransferError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_TRANSFER', message, options);
  }
}
