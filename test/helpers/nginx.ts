/**
 * A real nginx (Debian's /usr/sbin/nginx) for the reverse-proxy tests: one
 * foreground process (no daemon, no master, so it runs as the test's user and
 * is stopped by its pid), a temporary prefix holding the config, pid file and
 * temp folders, errors to stderr, listening on a free 127.0.0.1 port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export const NGINX = '/usr/sbin/nginx';
export const HAS_NGINX = existsSync(NGINX);

export interface Nginx {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** What nginx wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Temp folders of the http modules this nginx has: a directive for a module built without it would fail the config. */
function tempPaths(prefix: string): string {
  const built = spawnSync(NGINX, ['-V'], { encoding: 'utf8' }).stderr;
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((m) => m === 'client_body' || !built.includes(`--without-http_${m}_module`))
    .map((m) => `    ${m}_temp_path ${path.join(prefix, m)};`)
    .join('\n');
}

/** Starts nginx with `serverBody` (locations…) inside a `server` listening on 127.0.0.1; resolves once it accepts connections. */
export async function startNginx(serverBody: string): Promise<Nginx> {
  const prefix = await fs.mkdtemp(path.join(os.tmpdir(), 'nginx-test-'));
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  await fs.writeFile(
    conf,
    `daemon off;
master_process off;
pid ${path.join(prefix, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 64; }
http {
    access_log off;
${tempPaths(prefix)}
    server {
        listen 127.0.0.1:${port};
${serverBody}
    }
}
`,
  );
  const child = spawn(NGINX, ['-p', prefix, '-e', 'stderr', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await fs.rm(prefix, { recursive: true, force: true });
  };
  try {
    await untilListening(port, child, exited);
  } catch (err) {
    await stop();
    throw new Error(`nginx did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { origin: `http://127.0.0.1:${port}`, stderr: () => stderr, stop };
}

/** Connects until nginx accepts, or fails when it exits first (a bad config). */
async function untilListening(port: number, child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; attempt < 500; attempt++) {
    if (gone) throw new Error(`it exited with code ${child.exitCode}`);
    if (await connects(port)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
