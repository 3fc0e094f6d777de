/** Helpers the real-daemon tests share: binaries, free ports, tracked child processes, bounded waits. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

/** True when every binary is on PATH. */
export function haveBinaries(...names: string[]): boolean {
  return names.every((n) => {
    try {
      execFileSync('sh', ['-c', `command -v ${n}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** `describe`, or `describe.skip` with a console note when a binary is missing. */
export function describeIfBinaries(names: string[]): jest.Describe {
  if (haveBinaries(...names)) return describe;
  // eslint-disable-next-line no-console
  console.warn(`skipping: missing binaries ${names.filter((n) => !haveBinaries(n)).join(', ')}`);
  return describe.skip;
}

/** A free TCP port on 127.0.0.1 (the OS picks one; it is released before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const out = new Set<number>();
  for (let i = 0; out.size < count && i < count * 20; i++) out.add(await freePort());
  if (out.size < count) throw new Error('could not find enough free ports');
  return [...out];
}

/** Child processes started by a test file; `killAll` in afterAll stops every one of them. */
export class ProcessGroup {
  private readonly children: ChildProcess[] = [];
  readonly output = new Map<ChildProcess, string>();

  start(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    this.output.set(child, '');
    const append = (d: Buffer) => this.output.set(child, (this.output.get(child) ?? '') + d.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    return child;
  }

  /** Kills one child (SIGKILL) and waits for it to exit. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.children.map((c) => this.kill(c)));
  }
}

/** Polls `check` every `everyMs` until it returns true, at most `timeoutMs`; returns whether it did. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}
