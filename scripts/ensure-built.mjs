#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: install dependencies when
// node_modules is missing or older than the lock file, and build when dist/ is missing
// or older than any source file (`--always` rebuilds unconditionally, for the test run).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const always = process.argv.includes('--always');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  process.stderr.write('netkit: installing dependencies (npm ci)...\n');
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

const builtMarker = join(root, 'dist', 'cli', 'main.js');
if (always || !existsSync(builtMarker) || statSync(builtMarker).mtimeMs < newestMtime(join(root, 'src'))) {
  process.stderr.write('netkit: building (tsc)...\n');
  execFileSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
