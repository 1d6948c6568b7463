import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import type Soup from 'gi://Soup?version=3.0';

import { CatalogFetcher } from '../../../src/catalog/catalog-fetcher.js';
import { CatalogFetchError } from '../../../src/catalog/errors.js';
import { ManualClock } from '../helpers/manual-clock.js';

const URL = 'https://catalog.example.com:8443/library.json';

/** A session whose every request fails with `error` (or hangs until cancelled, for null). */
function failingSession(error: unknown): Soup.Session {
  const session = {
    send_async: (_message: unknown, _priority: number, cancellable: Gio.Cancellable) =>
      error === null
        ? new Promise((_resolve, reject) =>
            cancellable.connect(() =>
              reject(
                GLib.Error.new_literal(
                  Gio.io_error_quark(),
                  Gio.IOErrorEnum.CANCELLED,
                  'Cancelled',
                ),
              ),
            ),
          )
        : Promise.reject(error),
  };
  return session as unknown as Soup.Session;
}

async function failure(
  error: unknown,
  options: { clock?: ManualClock; cancellable?: Gio.Cancellable } = {},
): Promise<unknown> {
  const fetcher = new CatalogFetcher({ session: failingSession(error), clock: options.clock });
  try {
    await fetcher.fetch(URL, options.cancellable ?? null);
  } catch (caught) {
    return caught;
  }
  throw new Error('the fetch did not fail');
}

async function reason(error: unknown): Promise<string> {
  const caught = await failure(error);
  expect(caught).toEqual(jasmine.any(CatalogFetchError));
  return (caught as CatalogFetchError).reason;
}

const io = (code: number, message: string) =>
  GLib.Error.new_literal(Gio.io_error_quark(), code, message);

describe('CatalogFetcher', () => {
  it('says in its own words what the network errors mean', async () => {
    const host = 'catalog.example.com:8443';
    expect(await reason(io(Gio.IOErrorEnum.CONNECTION_REFUSED, 'Connection refused'))).toBe(
      `${host} refused the connection`,
    );
    expect(
      await reason(
        GLib.Error.new_literal(Gio.resolver_error_quark(), 0, 'Name or service not known'),
      ),
    ).toBe(`${host} could not be found; check your network connection`);
    expect(await reason(io(Gio.IOErrorEnum.NETWORK_UNREACHABLE, 'Network unreachable'))).toBe(
      `${host} cannot be reached; check your network connection`,
    );
    expect(await reason(io(Gio.IOErrorEnum.TIMED_OUT, 'Socket I/O timed out'))).toBe(
      `${host} did not answer in time`,
    );
    expect(
      await reason(
        GLib.Error.new_literal(
          Gio.tls_error_quark(),
          Gio.TlsError.BAD_CERTIFICATE,
          'Unacceptable TLS certificate.',
        ),
      ),
    ).toBe(`the secure connection to ${host} failed (Unacceptable TLS certificate)`);
    expect(await reason(io(Gio.IOErrorEnum.CONNECTION_CLOSED, 'Connection terminated'))).toBe(
      `the connection to ${host} failed (Connection terminated)`,
    );
  });

  it('gives up at its deadline, on the clock', async () => {
    const clock = new ManualClock();
    const failed = failure(null, { clock });
    expect(clock.pendingDelays()).toEqual([30_000]);
    clock.advance(30_000);
    const caught = await failed;
    expect((caught as CatalogFetchError).reason).toBe(
      'catalog.example.com:8443 did not send the catalog within 30 seconds',
    );
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('rejects with the GLib error when its caller cancels', async () => {
    const clock = new ManualClock();
    const cancellable = new Gio.Cancellable();
    const failed = failure(null, { clock, cancellable });
    cancellable.cancel();
    const caught = await failed;
    expect(caught).toEqual(jasmine.any(GLib.Error));
    expect(
      (caught as GLib.Error).matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED),
    ).toBeTrue();
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('lets a bug through as it is, not as a server that could not be reached', async () => {
    const bug = new TypeError('session.send_async is not a function');
    expect(await failure(bug)).toBe(bug);
  });
});
