/**
 * Before listening on a Unix socket path: a stale socket file (its server died) is
 * replaced; a live one (something accepts on it) is never stolen; a path that is not a
 * socket is never deleted.
 */
import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { ListenError } from './listen-error.js';

function probe(path: string): Promise<'live' | 'stale'> {
  return new Promise((resolve) => {
    const client = connect(path);
    client.once('connect', () => {
      client.destroy();
      resolve('live');
    });
    client.once('error', (error: NodeJS.ErrnoException) => {
      // ECONNREFUSED: a socket file nobody listens on. ENOENT: it vanished meanwhile.
      resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'stale' : 'live');
    });
  });
}

/** Makes `path` free to listen on, or throws a ListenError saying why it is not. */
export async function prepareUnixSocketPath(path: string, endpoint: string): Promise<void> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stats.isSocket()) {
    throw new ListenError(
      'NK_ADDR_IN_USE',
      `${endpoint}: ${path} exists and is not a socket; not replacing it`,
      {
        details: { endpoint, path },
      },
    );
  }
  if ((await probe(path)) === 'live') {
    throw new ListenError('NK_ADDR_IN_USE', `${endpoint}: another server is listening on ${path}`, {
      details: { endpoint, path },
    });
  }
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** Removes our socket file on shutdown, if it is still a socket (someone may have replaced it). */
export async function removeUnixSocketFile(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSocket()) await unlink(path);
  } catch {
    // Already gone: nothing to clean up.
  }
}
