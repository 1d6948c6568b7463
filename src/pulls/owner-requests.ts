import type Gio from 'gi://Gio';

import type { Clock } from '../util/clock.js';
import { checkReply, OwnerChannel } from './owner-channel.js';
import { PullOwner, type ForwardedOutput } from './pull-owner.js';

/** How long a process waits for an owner to appear before trying to become one itself. */
export const OWNER_PATIENCE_MS = 2000;
const RETRY_MS = 100;

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.timeout(ms, resolve));
}

/** Connects to the owner, trying again for up to OWNER_PATIENCE_MS; null if none appears. */
async function connectPatiently(dataDir: Gio.File, clock: Clock): Promise<OwnerChannel | null> {
  for (let waited = 0; ; waited += RETRY_MS) {
    const channel = await OwnerChannel.connect(dataDir);
    if (channel || waited >= OWNER_PATIENCE_MS) return channel;
    await sleep(clock, RETRY_MS);
  }
}

/**
 * Runs a command in the process that owns the pulls, printing its output here. Resolves
 * to the command's exit status, or null when it did not finish there (no owner appeared,
 * or the owner went away: crashed, quit, or handed the pulls on) — then the caller tries
 * again, and may become the owner itself. Cancelling stops following (the command goes
 * on in the owner) and resolves to `cancelledStatus`.
 */
export async function runInOwner(
  dataDir: Gio.File,
  args: string[],
  output: ForwardedOutput,
  clock: Clock,
  cancellable: Gio.Cancellable | null,
  cancelledStatus: number,
): Promise<number | null> {
  const channel = await connectPatiently(dataDir, clock);
  if (!channel) return null;
  await channel.send({ type: 'run', args });
  for (;;) {
    const reply = checkReply(await channel.receive(cancellable));
    if (cancellable?.is_cancelled()) return cancelledStatus;
    if (reply === null) return null;
    switch (reply.type) {
      case 'print':
        output.print(reply.text);
        break;
      case 'printError':
        output.printError(reply.text);
        break;
      case 'exit':
        channel.close();
        return reply.status;
      default:
        channel.close();
        return null;
    }
  }
}

/**
 * Asks the owner of the pulls to hand them over. Resolves null when the lock is free to
 * take (the owner saved and released, or there is none), or the owner's reason to keep them.
 */
export async function askForPulls(dataDir: Gio.File): Promise<string | null> {
  const channel = await OwnerChannel.connect(dataDir);
  if (!channel) return null;
  await channel.send({ type: 'takeover' });
  const reply = checkReply(await channel.receive());
  channel.close();
  return reply?.type === 'refused' ? reply.reason : null;
}

/**
 * Becomes the owner of the pulls, asking a current owner to hand them over. Resolves to
 * the lock, or to the owner's reason to keep them (another window).
 */
export async function takePulls(dataDir: Gio.File, clock: Clock): Promise<PullOwner | string> {
  for (let asked = false; ; asked = true) {
    const owner = PullOwner.tryAcquire(dataDir);
    if (owner) return owner;
    // Released, yet taken: a third process was quicker. Let it settle, then ask that one.
    if (asked) await sleep(clock, RETRY_MS);
    const refusal = await askForPulls(dataDir);
    if (refusal !== null) return refusal;
  }
}
