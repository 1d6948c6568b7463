import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';

import {
  CancelledError,
  MalformedReplyError,
  NetworkError,
  NotOllamaError,
  OllamaError,
  TimeoutError,
  TlsError,
} from './errors.js';

export interface ErrorContext {
  /** The server as people know it, e.g. "192.168.1.5:11434". */
  host: string | null;
}

/**
 * The one place that turns GLib, Gio and Soup errors into OllamaErrors. OllamaErrors pass
 * through; anything else (a bug, an exception from a caller's callback) is returned as is.
 */
export function mapError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof OllamaError) return error;
  if (error instanceof GLib.Error) return mapGLibError(error, context);
  return error;
}

export function mapGLibError(error: GLib.Error, context: ErrorContext): OllamaError {
  const options = { host: context.host, cause: error };
  const io = (code: number) => error.matches(Gio.io_error_quark(), code);

  if (io(Gio.IOErrorEnum.CANCELLED)) return new CancelledError(options);
  if (io(Gio.IOErrorEnum.TIMED_OUT)) return new TimeoutError(null, options);
  if (io(Gio.IOErrorEnum.CONNECTION_REFUSED)) return new NetworkError('refused', options);
  if (io(Gio.IOErrorEnum.HOST_NOT_FOUND) || error.domain === Gio.ResolverError.quark())
    return new NetworkError('dns', options);
  if (io(Gio.IOErrorEnum.HOST_UNREACHABLE) || io(Gio.IOErrorEnum.NETWORK_UNREACHABLE))
    return new NetworkError('unreachable', options);
  // CONNECTION_CLOSED is also BROKEN_PIPE; PARTIAL_INPUT is Soup's "terminated unexpectedly".
  if (
    io(Gio.IOErrorEnum.CONNECTION_CLOSED) ||
    io(Gio.IOErrorEnum.PARTIAL_INPUT) ||
    io(Gio.IOErrorEnum.NOT_CONNECTED) ||
    (io(Gio.IOErrorEnum.FAILED) && /reset by peer|connection reset/i.test(error.message))
  )
    return new NetworkError('reset', options);
  if (io(Gio.IOErrorEnum.INVALID_DATA)) return new MalformedReplyError(error.message, options);

  if (error.domain === Gio.TlsError.quark()) {
    if (error.code === Gio.TlsError.BAD_CERTIFICATE)
      return new TlsError({ ...options, problem: 'bad-certificate' });
    // GnuTLS words a plain-HTTP answer to a handshake as an unexpected packet.
    if (error.code === Gio.TlsError.NOT_TLS || /unexpected TLS packet/i.test(error.message))
      return new TlsError({ ...options, problem: 'not-tls' });
    return new TlsError({ ...options, detail: error.message });
  }

  if (error.domain === Soup.SessionError.quark()) {
    // Bytes that are not HTTP at all: another kind of server listens on that port.
    if (error.code === Soup.SessionError.PARSING) return new NotOllamaError(options);
    if (error.code === Soup.SessionError.ENCODING)
      return new MalformedReplyError(error.message, options);
  }

  return new NetworkError('other', { ...options, detail: error.message });
}
