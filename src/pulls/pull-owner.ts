import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { checkRequest, OwnerChannel, ownerAddress, type OwnerReply } from './owner-channel.js';
import { inBackground } from '../util/background.js';

/** Where a command run for another process writes: back to that process' terminal. */
export interface ForwardedOutput {
  print(text: string): void;
  printError(text: string): void;
}

export interface PullOwnerHandlers {
  /**
   * Runs a command sent by a `paddock` that does not own the pulls; resolves to its exit
   * status. A rejection means the command did not finish here (the pulls moved on): the
   * channel then ends without a status, and the other process tries again.
   */
  run(args: string[], output: ForwardedOutput): Promise<number>;
  /**
   * Another process (a window starting) asks for the pulls: resolve null once they are
   * stopped and saved, or the reason for keeping them.
   */
  takeover(): Promise<string | null>;
}

/**
 * The lock that makes one process the owner of a user's pulls and of loading.json, and
 * the door through which other Paddock processes reach that owner (docs/pull-owner.md).
 * Holding it means having bound the abstract socket `ownerAddress(dataDir)`.
 */
export class PullOwner {
  readonly #service: Gio.SocketService;
  readonly #channels = new Set<OwnerChannel>();
  #handlers: PullOwnerHandlers | null = null;
  /** The process the pulls are handed to: it hears "released" before the others hear the end. */
  #taker: OwnerChannel | null = null;
  #released: Promise<void> | null = null;

  private constructor(service: Gio.SocketService) {
    this.#service = service;
  }

  /** Takes the lock, or null when another process holds it. Never waits. */
  static tryAcquire(dataDir: Gio.File): PullOwner | null {
    const service = new Gio.SocketService();
    try {
      service.add_address(
        ownerAddress(dataDir),
        Gio.SocketType.STREAM,
        Gio.SocketProtocol.DEFAULT,
        null,
      );
    } catch (error) {
      service.close();
      if (
        error instanceof GLib.Error &&
        error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.ADDRESS_IN_USE)
      )
        return null;
      throw error;
    }
    return new PullOwner(service);
  }

  get isReleased(): boolean {
    return this.#released !== null;
  }

  /** Starts answering other processes. */
  serve(handlers: PullOwnerHandlers): void {
    this.#handlers = handlers;
    this.#service.connect('incoming', (_service, connection: Gio.SocketConnection) => {
      const channel = new OwnerChannel(connection);
      if (this.#released || !channel.isSameUser()) {
        channel.close();
        return true;
      }
      this.#channels.add(channel);
      inBackground(this.#answer(channel), 'answering another Paddock process');
      return true;
    });
    this.#service.start();
  }

  /**
   * Frees the lock, then ends every channel (a process that asked for the pulls hears
   * "released" first). Call it only once the pulls are stopped and saved: the next owner
   * reads loading.json as soon as it holds the lock.
   */
  release(): Promise<void> {
    this.#released ??= (async () => {
      this.#service.stop();
      this.#service.close();
      if (this.#taker) await this.#taker.send({ type: 'released' });
      for (const channel of this.#channels) channel.close();
      this.#channels.clear();
    })();
    return this.#released;
  }

  async #answer(channel: OwnerChannel): Promise<void> {
    const request = checkRequest(await channel.receive());
    if (request === null || this.#released) {
      this.#forget(channel);
      return;
    }
    if (request.type === 'takeover') {
      this.#taker = channel;
      const refusal = await this.#handlers!.takeover();
      if (refusal === null) {
        await this.release();
        return;
      }
      this.#taker = null;
      await channel.send({ type: 'refused', reason: refusal });
      this.#forget(channel);
      return;
    }
    // A broken channel is the other side's end: send() never rejects.
    const send = (reply: OwnerReply) =>
      inBackground(channel.send(reply), 'answering another Paddock process');
    try {
      const status = await this.#handlers!.run(request.args, {
        print: (text) => send({ type: 'print', text }),
        printError: (text) => send({ type: 'printError', text }),
      });
      send({ type: 'exit', status });
      this.#forget(channel);
    } catch {
      // Not finished here: the pulls are moving on. release() ends the channel without a
      // status once the lock is free, and the other side then tries again.
    }
  }

  #forget(channel: OwnerChannel): void {
    channel.close();
    this.#channels.delete(channel);
  }
}
