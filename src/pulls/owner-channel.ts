import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { gettext as _ } from 'gettext';

import { NdjsonReader } from '../ollama/ndjson-reader.js';
import { inBackground } from '../util/background.js';

/** What a Paddock that does not own the pulls asks of the one that does. */
export type OwnerRequest =
  /** Run this command (`paddock pull …`) there, with its output sent back. */
  | { type: 'run'; args: string[] }
  /** Give the pulls up to the asking process (a window starting). */
  | { type: 'takeover' };

/** What the owner answers. A channel that ends without `exit` means the owner went away. */
export type OwnerReply =
  | { type: 'print'; text: string }
  | { type: 'printError'; text: string }
  | { type: 'exit'; status: number }
  /** The pulls are saved and the lock is free: take it. */
  | { type: 'released' }
  | { type: 'refused'; reason: string };

const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_ARGS = 64;
const MAX_TEXT = 64 * 1024;

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_TEXT;

/** A request as sent by a Paddock of the same user, or null for anything else. */
export function checkRequest(value: unknown): OwnerRequest | null {
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  if (message.type === 'takeover') return { type: 'takeover' };
  if (
    message.type === 'run' &&
    Array.isArray(message.args) &&
    message.args.length <= MAX_ARGS &&
    message.args.every(isText)
  )
    return { type: 'run', args: [...message.args] };
  return null;
}

/** A reply as an owner sends it, or null for anything else. */
export function checkReply(value: unknown): OwnerReply | null {
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'print':
    case 'printError':
      return isText(message.text) ? { type: message.type, text: message.text } : null;
    case 'exit':
      return Number.isInteger(message.status) && (message.status as number) >= 0
        ? { type: 'exit', status: Math.min(message.status as number, 255) }
        : null;
    case 'released':
      return { type: 'released' };
    case 'refused':
      return isText(message.reason) ? { type: 'refused', reason: message.reason } : null;
    default:
      return null;
  }
}

/** This process' user id: only processes of the same user may own or follow its pulls. */
export function currentUid(): number {
  return new Gio.Credentials().get_unix_user();
}

/**
 * The name of the lock: an abstract Unix socket, one per user and data folder (so per
 * loading.json). The kernel frees it when the process that bound it ends, however it
 * ends, and binding it is atomic: at most one process can hold it.
 */
export function ownerAddress(dataDir: Gio.File): Gio.SocketAddress {
  const path = dataDir.get_path() ?? dataDir.get_uri();
  const digest = GLib.compute_checksum_for_data(
    GLib.ChecksumType.SHA256,
    new TextEncoder().encode(path),
  )!;
  return new Gio.UnixSocketAddress({
    path: `io.github.paddock.Paddock.pulls/${currentUid()}/${digest.slice(0, 32)}`,
    address_type: Gio.UnixSocketAddressType.ABSTRACT,
  });
}

function isIOError(error: unknown, code: number): boolean {
  return error instanceof GLib.Error && error.matches(Gio.io_error_quark(), code);
}

/**
 * One connection between two Paddock processes of the same user: JSON messages, one a
 * line, read with the bounded NDJSON reader. Sends go out in order.
 */
export class OwnerChannel {
  readonly #connection: Gio.SocketConnection;
  readonly #reader: NdjsonReader;
  #sending: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(connection: Gio.SocketConnection) {
    this.#connection = connection;
    this.#reader = new NdjsonReader(connection.get_input_stream(), {
      maxLineBytes: MAX_MESSAGE_BYTES,
    });
  }

  /**
   * Connects to the owner of the pulls of `dataDir`; null when nobody holds the lock.
   * Throws when the lock is held by another user's process, which must not be trusted.
   */
  static async connect(dataDir: Gio.File): Promise<OwnerChannel | null> {
    let connection: Gio.SocketConnection;
    try {
      connection = await new Gio.SocketClient().connect_async(ownerAddress(dataDir), null);
    } catch (error) {
      if (
        isIOError(error, Gio.IOErrorEnum.CONNECTION_REFUSED) ||
        isIOError(error, Gio.IOErrorEnum.NOT_FOUND)
      )
        return null;
      throw error;
    }
    const channel = new OwnerChannel(connection);
    if (!channel.isSameUser()) {
      channel.close();
      throw new Error(
        _('Another user’s process holds Paddock’s download lock, so Paddock does not talk to it.'),
      );
    }
    return channel;
  }

  /** Whether the process at the other end runs as this process' user. */
  isSameUser(): boolean {
    try {
      return this.#connection.get_socket().get_credentials().get_unix_user() === currentUid();
    } catch {
      return false;
    }
  }

  /** Sends one message; a broken channel is not an error here (the next receive ends). */
  send(message: OwnerRequest | OwnerReply): Promise<void> {
    const bytes = new TextEncoder().encode(`${JSON.stringify(message)}\n`);
    const output = this.#connection.get_output_stream();
    this.#sending = this.#sending.then(async () => {
      if (this.#closed) return;
      try {
        for (let offset = 0; offset < bytes.length;) {
          const rest = new GLib.Bytes(bytes.subarray(offset));
          offset += await output.write_bytes_async(rest, GLib.PRIORITY_DEFAULT, null);
        }
      } catch {
        this.close();
      }
    });
    return this.#sending;
  }

  /** The next message as parsed JSON; null once the channel ended, broke or sent garbage. */
  async receive(cancellable: Gio.Cancellable | null = null): Promise<unknown> {
    if (this.#closed) return null;
    try {
      const line = await this.#reader.readLine(cancellable);
      if (line !== null) return JSON.parse(line);
    } catch {
      // Broken, cancelled or not JSON: this channel says nothing more that can be used.
    }
    this.close();
    return null;
  }

  /** Closes the connection once what was sent has gone out. */
  close(): void {
    if (this.#closed) return;
    inBackground(
      this.#sending.then(async () => {
        this.#closed = true;
        await this.#connection.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
      }),
      'closing a channel to another Paddock process',
    );
  }
}
