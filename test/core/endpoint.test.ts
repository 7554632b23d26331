import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Endpoint, formatEndpoint, parseEndpoint } from '../../src/core/endpoint.js';
import { EndpointError } from '../../src/core/errors.js';

describe('parseEndpoint', () => {
  it.each([
    ['tcp://127.0.0.1:7', { transport: 'tcp', host: '127.0.0.1', port: 7, family: 4 }],
    ['udp://localhost:5353', { transport: 'udp', host: 'localhost', port: 5353, family: 0 }],
    ['tcp://[::1]:7', { transport: 'tcp', host: '::1', port: 7, family: 6 }],
    ['TCP://[fe80::1%eth0]:80', { transport: 'tcp', host: 'fe80::1%eth0', port: 80, family: 6 }],
    ['tcp://example.com.:0', { transport: 'tcp', host: 'example.com.', port: 0, family: 0 }],
    ['tcp://host:65535/', { transport: 'tcp', host: 'host', port: 65535, family: 0 }],
    ['unix:/run/netkit.sock', { transport: 'unix', path: '/run/netkit.sock' }],
    ['unix:///run/netkit.sock', { transport: 'unix', path: '/run/netkit.sock' }],
    ['unix:relative.sock', { transport: 'unix', path: 'relative.sock' }],
  ])('parses %s', (text, expected) => {
    expect(parseEndpoint(text)).toEqual(expected);
  });

  it('uses a default port when allowed', () => {
    expect(parseEndpoint('udp://10.0.0.1', { defaultPort: 53 })).toMatchObject({ port: 53 });
  });

  it.each([
    ['127.0.0.1:7', 'missing scheme'],
    ['ftp://host:21', 'unsupported scheme "ftp"'],
    ['tcp:host:7', 'expected "//" after the scheme'],
    ['tcp://host', 'missing port'],
    ['tcp://host:70000', 'port "70000" is not a number from 0 to 65535'],
    ['tcp://host:-1', 'port "-1" is not a number from 0 to 65535'],
    ['tcp://:7', 'missing host'],
    ['tcp://::1:7', 'IPv6 addresses must be written in brackets, as [::1]'],
    ['tcp://[::1:7', 'unclosed "[" in IPv6 address'],
    ['tcp://[1.2.3.4]:7', '"1.2.3.4" is not an IPv6 address'],
    ['tcp://bad_host!:7', '"bad_host!" is not a valid host name or address'],
    ['tcp://host:7/path', 'unexpected path after host and port'],
    ['unix:', 'empty socket path'],
    [`unix:/${'x'.repeat(200)}`, 'socket path longer than 107 bytes'],
  ])('rejects %s: %s', (text, reason) => {
    let caught: unknown;
    try {
      parseEndpoint(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EndpointError);
    const error = caught as EndpointError;
    expect(error.code).toBe('NK_ENDPOINT_INVALID');
    expect(error.details.reason).toBe(reason);
    // The message shows the accepted forms.
    expect(error.message).toContain('tcp://HOST:PORT, udp://HOST:PORT, unix:/path/to/socket');
  });

  it('rejects schemes the caller does not allow', () => {
    expect(() => parseEndpoint('unix:/x', { allow: ['tcp'] })).toThrow(
      /unsupported scheme "unix"; expected one of tcp:\/\/HOST:PORT/,
    );
  });

  it('round-trips through formatEndpoint (property)', () => {
    const host = fc.oneof(
      fc.ipV4().map((host) => ({ host, family: 4 as const })),
      fc.ipV6().map((host) => ({ host, family: 6 as const })),
      fc.domain().map((host) => ({ host, family: 0 as const })),
    );
    const inet = fc.record({
      transport: fc.constantFrom('tcp' as const, 'udp' as const),
      address: host,
      port: fc.integer({ min: 0, max: 65535 }),
    });
    fc.assert(
      fc.property(inet, ({ transport, address, port }) => {
        const endpoint: Endpoint = { transport, host: address.host, port, family: address.family };
        expect(parseEndpoint(formatEndpoint(endpoint))).toEqual(endpoint);
      }),
    );
  });

  it('only ever throws EndpointError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseEndpoint(text);
        } catch (error) {
          expect(error).toBeInstanceOf(EndpointError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
