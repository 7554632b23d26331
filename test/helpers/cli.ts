/** Runs the built `netkit` command as a user would (npm test builds dist/ first). */
import { type SpawnOptions, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hermeticArgv } from './hermetic.js';

export const NETKIT_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNetkit(
  args: string[],
  options: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv; hermetic?: boolean } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const spawnOptions: SpawnOptions = { env: { ...process.env, ...options.env }, stdio: 'pipe' };
    // Hermetic: in private namespaces where DNS stays on loopback (see hermetic.ts).
    const argv = options.hermetic
      ? hermeticArgv([process.execPath, NETKIT_MAIN, ...args])
      : [process.execPath, NETKIT_MAIN, ...args];
    const child = spawn(argv[0]!, argv.slice(1), spawnOptions);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netkit ${args.join(' ')} timed out; stdout: ${stdout}; stderr: ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
}
