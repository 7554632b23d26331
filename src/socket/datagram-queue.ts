/**
 * Received datagrams not yet read, bounded by count and by bytes. When full, a new datagram
 * is dropped and counted, as the kernel drops what arrives on a full receive buffer (the
 * sender learns nothing: that is UDP). Sans I/O.
 */

export interface Datagram {
  data: Buffer;
  /** Sender address literal and port. */
  host: string;
  port: number;
}

export class DatagramQueue {
  private items: Datagram[] = [];
  private head = 0;
  private bytes = 0;
  private peak = 0;
  private droppedCount = 0;

  constructor(
    readonly maxDatagrams: number,
    readonly maxBytes: number,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes held in unread datagrams. */
  get byteLength(): number {
    return this.bytes;
  }

  get peakByteLength(): number {
    return this.peak;
  }

  /** Datagrams dropped because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Queues a datagram; false (and counted) when it was dropped. */
  push(datagram: Datagram): boolean {
    if (this.length >= this.maxDatagrams || this.bytes + datagram.data.length > this.maxBytes) {
      this.droppedCount++;
      return false;
    }
    this.items.push(datagram);
    this.bytes += datagram.data.length;
    if (this.bytes > this.peak) this.peak = this.bytes;
    return true;
  }

  shift(): Datagram | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.head++;
    this.bytes -= item.data.length;
    // Compact now and then rather than shifting an array on every read.
    if (this.head >= 1024 || this.head === this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.bytes = 0;
  }
}
