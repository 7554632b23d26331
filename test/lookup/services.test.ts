/**
 * getservbyname and getservbyport as library calls: where the database comes from (text,
 * a path, the bundled copy), and every error with its code and Python equivalent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BadNameError,
  BadPortError,
  BadProtoError,
  getservbyname,
  getservbyport,
  loadServices,
  PortNotFoundError,
  ServiceNotFoundError,
} from '../../src/lookup/index.js';

const servicesText = 'http 80/tcp www\nhttp 80/udp www\nntp 123/udp\nweird 9/TCP\n';
const dir = mkdtempSync(join(tmpdir(), 'netkit-services-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('where the services database comes from', () => {
  it('uses the text or the file it is given', async () => {
    expect(await getservbyname('www', 'udp', { servicesText })).toEqual({
      name: 'http',
      aliases: ['www'],
      port: 80,
      proto: 'udp',
    });
    const path = join(dir, 'services');
    writeFileSync(path, 'gopher 70/tcp\n');
    expect(await getservbyport(70, undefined, { servicesPath: path })).toMatchObject({ name: 'gopher' });
    await expect(getservbyname('http', undefined, { servicesPath: path })).rejects.toBeInstanceOf(
      ServiceNotFoundError,
    );
    expect((await loadServices({ servicesPath: path })).source).toBe(path);
  });

  it('falls back to the bundled copy when the system has no services file', async () => {
    const missing = { servicesPath: join(dir, 'no-such-file') };
    expect((await loadServices(missing)).source).toBe('bundled');
    expect(await getservbyname('https', 'tcp', missing)).toMatchObject({ port: 443 });
    expect(await getservbyport(53, 'udp', missing)).toMatchObject({ name: 'domain' });
  });

  it('does not hide other read errors behind the bundled copy', async () => {
    await expect(loadServices({ servicesPath: dir })).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('errors', () => {
  it('service/proto not found, with the protocol asked for', async () => {
    const error = await getservbyname('ntp', 'tcp', { servicesText }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect(error).toMatchObject({
      code: 'NK_LOOKUP_SERVICE_NOT_FOUND',
      message: 'service/proto not found: ntp/tcp',
      details: { name: 'ntp', proto: 'tcp', python: 'OSError', pythonMessage: 'service/proto not found' },
    });
    // Protocols compare case-sensitively, as in glibc.
    await expect(getservbyname('weird', 'tcp', { servicesText })).rejects.toBeInstanceOf(
      ServiceNotFoundError,
    );
  });

  it('port/proto not found, with or without a protocol', async () => {
    await expect(getservbyport(81, undefined, { servicesText })).rejects.toMatchObject({
      code: 'NK_LOOKUP_PORT_NOT_FOUND',
      message: 'port/proto not found: 81/any protocol',
      details: { port: 81, proto: null },
    });
    await expect(getservbyport(123, 'tcp', { servicesText })).rejects.toBeInstanceOf(PortNotFoundError);
  });

  it.each([-1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'port %d is a BadPortError',
    async (port) => {
      const error = await getservbyport(port, undefined, { servicesText }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadPortError);
      expect(error).toMatchObject({ code: 'NK_LOOKUP_BAD_PORT', details: { python: 'OverflowError' } });
    },
  );

  it('accepts ports 0 and 65535 (and looks them up)', async () => {
    await expect(getservbyport(0, undefined, { servicesText })).rejects.toBeInstanceOf(PortNotFoundError);
    await expect(getservbyport(65535, undefined, { servicesText })).rejects.toBeInstanceOf(PortNotFoundError);
  });

  it('refuses NUL bytes in names and protocols, as Python does', async () => {
    await expect(getservbyname('ht\u0000tp', undefined, { servicesText })).rejects.toBeInstanceOf(
      BadNameError,
    );
    await expect(getservbyname('http', 't\u0000', { servicesText })).rejects.toBeInstanceOf(BadProtoError);
    await expect(getservbyport(80, 'tcp\u0000', { servicesText })).rejects.toMatchObject({
      code: 'NK_LOOKUP_BAD_PROTO',
    });
  });

  it('serializes with code, message and details', async () => {
    const error = (await getservbyport(70000).catch((e: unknown) => e)) as BadPortError;
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'BadPortError',
      code: 'NK_LOOKUP_BAD_PORT',
      message: 'port must be an integer from 0 to 65535, not 70000',
      details: { port: '70000', python: 'OverflowError', pythonMessage: 'port must be 0-65535.' },
    });
  });
});
