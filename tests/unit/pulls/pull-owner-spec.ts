import type Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { checkReply, checkRequest } from '../../../src/pulls/owner-channel.js';
import {
  askForPulls,
  OWNER_PATIENCE_MS,
  runInOwner,
  takePulls,
} from '../../../src/pulls/owner-requests.js';
import { PullOwner, type ForwardedOutput } from '../../../src/pulls/pull-owner.js';
import { makeTempDir, removeTree } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** Lets the main loop run until `condition` holds (sockets need real turns of the loop). */
async function until(condition: () => boolean): Promise<void> {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 2000) throw new Error('timed out');
    await new Promise((resolve) =>
      GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1, () => {
        resolve(0);
        return GLib.SOURCE_REMOVE;
      }),
    );
  }
}

class Terminal implements ForwardedOutput {
  readonly lines: string[] = [];
  print(text: string): void {
    this.lines.push(text);
  }
  printError(text: string): void {
    this.lines.push(`stderr: ${text}`);
  }
}

describe('Pulls PullOwner', () => {
  let dataDir: Gio.File;
  let owners: PullOwner[];
  let clock: ManualClock;

  beforeEach(() => {
    dataDir = makeTempDir();
    owners = [];
    clock = new ManualClock();
  });

  afterEach(async () => {
    for (const owner of owners) await owner.release();
    removeTree(dataDir);
  });

  function acquire(dir = dataDir): PullOwner | null {
    const owner = PullOwner.tryAcquire(dir);
    if (owner) owners.push(owner);
    return owner;
  }

  it('is held by one process at a time, per data folder, until released', async () => {
    const first = acquire()!;
    expect(first).not.toBeNull();
    expect(acquire()).toBeNull();
    const otherDir = makeTempDir();
    expect(acquire(otherDir)).not.toBeNull();
    await first.release();
    expect(acquire()).not.toBeNull();
    removeTree(otherDir);
  });

  it('runs a forwarded command and sends its output and exit status back', async () => {
    const owner = acquire()!;
    const ran: string[][] = [];
    owner.serve({
      run: async (args, output) => {
        ran.push(args);
        output.print('pulling tiny:1b: 42%');
        output.printError('note: something');
        return 3;
      },
      takeover: async () => 'no',
    });
    const terminal = new Terminal();
    const status = await runInOwner(dataDir, ['pull', 'tiny:1b'], terminal, clock, null, 130);
    expect(status).toBe(3);
    expect(ran).toEqual([['pull', 'tiny:1b']]);
    expect(terminal.lines).toEqual(['pulling tiny:1b: 42%', 'stderr: note: something']);
  });

  it('ends a forwarded command without a status when the pulls move on, so the sender retries', async () => {
    const owner = acquire()!;
    let started = false;
    owner.serve({
      run: async () => {
        started = true;
        await until(() => owner.isReleased);
        throw new Error('handed on');
      },
      takeover: async () => null,
    });
    const terminal = new Terminal();
    const forwarded = runInOwner(dataDir, ['pull', 'x:1'], terminal, clock, null, 130);
    await until(() => started);
    await owner.release();
    expect(await forwarded).toBeNull();
  });

  it('hands the pulls over on request: "released" comes after the lock is free', async () => {
    const owner = acquire()!;
    let stopped = false;
    owner.serve({
      run: async () => 0,
      takeover: async () => {
        stopped = true;
        return null;
      },
    });
    expect(await askForPulls(dataDir)).toBeNull();
    expect(stopped).toBeTrue();
    expect(owner.isReleased).toBeTrue();
    expect(acquire()).not.toBeNull();
  });

  it('keeps the pulls when the owner refuses, and says why', async () => {
    const owner = acquire()!;
    owner.serve({ run: async () => 0, takeover: async () => 'another window runs them' });
    expect(await askForPulls(dataDir)).toBe('another window runs them');
    expect(owner.isReleased).toBeFalse();
    expect(await takePulls(dataDir, clock)).toBe('another window runs them');
  });

  it('takePulls takes a free lock at once, and a held one from a willing owner', async () => {
    const first = await takePulls(dataDir, clock);
    expect(first).toBeInstanceOf(PullOwner);
    owners.push(first as PullOwner);
    (first as PullOwner).serve({ run: async () => 0, takeover: async () => null });
    const second = await takePulls(dataDir, clock);
    expect(second).toBeInstanceOf(PullOwner);
    owners.push(second as PullOwner);
    expect((first as PullOwner).isReleased).toBeTrue();
  });

  it('without an owner, a forwarded command waits OWNER_PATIENCE_MS for one, then gives up', async () => {
    let settled = false;
    const forwarded = runInOwner(dataDir, ['pull', 'x:1'], new Terminal(), clock, null, 130);
    void forwarded.finally(() => (settled = true));
    let advanced = 0;
    await until(() => {
      if (!settled && clock.pendingDelays().length > 0) {
        clock.advance(100);
        advanced += 100;
      }
      return settled;
    });
    expect(advanced).toBe(OWNER_PATIENCE_MS);
    expect(await forwarded).toBeNull();
  });

  it('ignores requests that are not what a Paddock sends', async () => {
    const owner = acquire()!;
    let ran = 0;
    owner.serve({
      run: async () => ++ran,
      takeover: async () => null,
    });
    // Hostile or broken messages from a peer of the same user change nothing.
    for (const bad of [
      null,
      42,
      { type: 'run' },
      { type: 'run', args: 'pull x' },
      { type: 'run', args: [1, 2] },
      { type: 'run', args: Array(65).fill('x') },
      { type: 'run', args: ['x'.repeat(70_000)] },
      { type: 'shutdown' },
    ])
      expect(checkRequest(bad)).withContext(JSON.stringify(bad)?.slice(0, 40)).toBeNull();
    expect(checkRequest({ type: 'run', args: ['pull', 'a:1'] })).toEqual({
      type: 'run',
      args: ['pull', 'a:1'],
    });
    expect(ran).toBe(0);
    expect(owner.isReleased).toBeFalse();
  });

  it('accepts only well-formed replies, and clamps the exit status', () => {
    expect(checkReply({ type: 'exit', status: 1e9 })).toEqual({ type: 'exit', status: 255 });
    expect(checkReply({ type: 'exit', status: -1 })).toBeNull();
    expect(checkReply({ type: 'exit', status: 1.5 })).toBeNull();
    expect(checkReply({ type: 'print', text: 7 })).toBeNull();
    expect(checkReply({ type: 'print', text: 'x'.repeat(70_000) })).toBeNull();
    expect(checkReply({ type: 'refused' })).toBeNull();
    expect(checkReply({ type: 'released' })).toEqual({ type: 'released' });
  });
});
