/**
 * `netkit sntp URL [--count N]`: SNTP (RFC 4330) queries, one after another. Each sample
 * prints the clock offset (what to add to ours) and the round-trip delay in milliseconds,
 * computed from the four timestamps as NTP does (RFC 4330 section 5); then a summary: the
 * median offset and the smallest delay. A reply that does not answer our request (its
 * origin is not our transmit timestamp) is ignored; a kiss-o'-death, an unsynchronised
 * server or a malformed reply ends the run (exit 1).
 */
import type { Command } from 'commander';
import { datagramExchange } from '../../client/exchange.js';
import { parseEndpoint } from '../../core/endpoint.js';
import { UsageError } from '../../core/errors.js';
import { wallClockMs } from '../../runtime/clock.js';
import {
  ntpOffsetDelay,
  SntpOriginMismatchError,
  sntpRequest,
  type ValidSntpReply,
  validateSntpReply,
} from '../../services/sntp/index.js';
import { addClientOptions, type ClientFlags, clientSettings } from '../client-options.js';
import { printLine } from '../output.js';

interface SntpFlags extends ClientFlags {
  count: string;
}

interface Sample {
  offsetMs: number;
  delayMs: number;
  stratum: number;
  refId: string;
  serverTime: string;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function registerSntp(program: Command): void {
  const command = program
    .command('sntp')
    .description(
      'query an SNTP/NTP server (RFC 4330) for clock offset and delay: netkit sntp udp://127.0.0.1:12123',
    )
    .argument('<url>', 'udp://HOST:PORT (NTP runs over UDP)')
    .option('--count <n>', 'how many requests, one after another', '4');
  addClientOptions(command);
  command.action(async (url: string, flags: SntpFlags) => {
    const endpoint = parseEndpoint(url);
    if (endpoint.transport !== 'udp')
      throw new UsageError(`SNTP runs over UDP: give udp://HOST:PORT, not ${url}`);
    const settings = clientSettings(flags);
    const count = Number(flags.count);
    if (!Number.isSafeInteger(count) || count < 1 || count > 1000) {
      throw new UsageError(
        `--count expects a whole number from 1 to 1000, not ${JSON.stringify(flags.count)}`,
      );
    }
    const samples: Sample[] = [];
    for (let i = 1; i <= count; i++) {
      let t1 = 0;
      const { reply, t4 } = await datagramExchange<Uint8Array, { reply: ValidSntpReply; t4: number }>(
        endpoint,
        { ...settings, maxBytes: 1024 },
        () => {
          t1 = wallClockMs();
          return sntpRequest(t1);
        },
        (bytes, request) => {
          const t4 = wallClockMs();
          try {
            return { reply: validateSntpReply(bytes, request, { nearMs: t1 }), t4 };
          } catch (error) {
            if (error instanceof SntpOriginMismatchError) return undefined;
            throw error;
          }
        },
      );
      const { offset, delay } = ntpOffsetDelay(t1, reply.receive, reply.transmit, t4);
      const sample: Sample = {
        offsetMs: round3(offset),
        delayMs: round3(delay),
        stratum: reply.stratum,
        refId: reply.refId,
        serverTime: new Date(reply.transmit).toISOString(),
      };
      samples.push(sample);
      if (flags.json) printLine(JSON.stringify({ sample: i, ...sample }));
      else
        printLine(
          `sample ${i}: offset ${signed(sample.offsetMs)} ms  delay ${sample.delayMs.toFixed(3)} ms  (stratum ${sample.stratum}, refid ${sample.refId}, server time ${sample.serverTime})`,
        );
    }
    const summary = {
      samples: samples.length,
      medianOffsetMs: round3(median(samples.map((s) => s.offsetMs))),
      minDelayMs: round3(Math.min(...samples.map((s) => s.delayMs))),
    };
    if (flags.json) printLine(JSON.stringify({ summary }));
    else
      printLine(
        `${summary.samples} samples: median offset ${signed(summary.medianOffsetMs)} ms, min delay ${summary.minDelayMs.toFixed(3)} ms`,
      );
  });
}
