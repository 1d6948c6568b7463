import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';

import { mapError, mapGLibError } from '../../../src/ollama/error-mapper.js';
import {
  CancelledError,
  HttpError,
  InvalidModelNameError,
  MalformedReplyError,
  NetworkError,
  NotOllamaError,
  OllamaError,
  RedirectError,
  StreamError,
  TimeoutError,
  TlsError,
} from '../../../src/ollama/errors.js';

const host = '192.168.1.5:11434';
const context = { host };

function ioError(code: number, message = 'failed'): GLib.Error {
  return GLib.Error.new_literal(Gio.io_error_quark(), code, message);
}

describe('Ollama error mapping', () => {
  it('tells a refused connection to check that Ollama runs', () => {
    const error = mapGLibError(ioError(Gio.IOErrorEnum.CONNECTION_REFUSED), context);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).kind).toBe('refused');
    expect(error.message).toBe(
      'Ollama at 192.168.1.5:11434 refused the connection. Is it running?',
    );
    expect(error.retryable).toBeTrue();
    expect(error.host).toBe(host);
  });

  const networkCases: [string, GLib.Error, string][] = [
    [
      'a failed name lookup',
      GLib.Error.new_literal(Gio.ResolverError.quark(), Gio.ResolverError.NOT_FOUND, 'x'),
      'dns',
    ],
    [
      'a temporary lookup failure',
      GLib.Error.new_literal(Gio.ResolverError.quark(), Gio.ResolverError.TEMPORARY_FAILURE, 'x'),
      'dns',
    ],
    ['an unknown host', ioError(Gio.IOErrorEnum.HOST_NOT_FOUND), 'dns'],
    ['an unreachable host', ioError(Gio.IOErrorEnum.HOST_UNREACHABLE), 'unreachable'],
    ['an unreachable network', ioError(Gio.IOErrorEnum.NETWORK_UNREACHABLE), 'unreachable'],
    ['a closed connection', ioError(Gio.IOErrorEnum.CONNECTION_CLOSED), 'reset'],
    ['a body cut short', ioError(Gio.IOErrorEnum.PARTIAL_INPUT), 'reset'],
    [
      'a reset by peer',
      ioError(Gio.IOErrorEnum.FAILED, 'Error receiving data: Connection reset by peer'),
      'reset',
    ],
    ['a proxy failure', ioError(Gio.IOErrorEnum.PROXY_FAILED, 'Proxy said no'), 'other'],
  ];
  for (const [what, glibError, kind] of networkCases)
    it(`maps ${what} to NetworkError ${kind}`, () => {
      const error = mapGLibError(glibError, context);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).kind).toBe(kind);
      expect(error.retryable).toBeTrue();
      expect(error.cause).toBe(glibError);
      expect(error.message).toContain('192.168.1.5');
    });

  it('words each network failure plainly', () => {
    expect(new NetworkError('dns', { host: 'ollama.lan:11434' }).message).toBe(
      'Could not find ollama.lan. Check the address and your network connection.',
    );
    expect(new NetworkError('dns', { host: '[fd00::5]:11434' }).message).toContain(
      'Could not find [fd00::5].',
    );
    expect(new NetworkError('dns', { host: 'fd00::5' }).message).toContain('find fd00::5.');
    expect(new NetworkError('unreachable', { host }).message).toContain('cannot be reached');
    expect(new NetworkError('reset', { host }).message).toContain('broke off');
    expect(new NetworkError('other', { host, detail: 'Proxy said no.' }).message).toBe(
      'Could not talk to Ollama at 192.168.1.5:11434: Proxy said no.',
    );
  });

  it('maps a socket timeout to TimeoutError and cancellation to CancelledError', () => {
    const timeout = mapGLibError(ioError(Gio.IOErrorEnum.TIMED_OUT), context);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout.retryable).toBeTrue();
    const cancelled = mapGLibError(ioError(Gio.IOErrorEnum.CANCELLED), context);
    expect(cancelled).toBeInstanceOf(CancelledError);
    expect(cancelled.retryable).toBeFalse();
  });

  it('maps TLS failures to TlsError with advice for the certificate or the scheme', () => {
    const tls = (code: number) =>
      mapGLibError(GLib.Error.new_literal(Gio.TlsError.quark(), code, 'TLS trouble'), context);
    const certificate = tls(Gio.TlsError.BAD_CERTIFICATE);
    expect(certificate).toBeInstanceOf(TlsError);
    expect((certificate as TlsError).problem).toBe('bad-certificate');
    expect(certificate.message).toContain('certificate is not trusted');
    expect(certificate.retryable).toBeFalse();
    expect((tls(Gio.TlsError.NOT_TLS) as TlsError).problem).toBe('not-tls');
    expect(tls(Gio.TlsError.NOT_TLS).message).toContain('http://');
    expect(tls(Gio.TlsError.HANDSHAKE).message).toContain('TLS trouble');
    const plain = mapGLibError(
      GLib.Error.new_literal(
        Gio.TlsError.quark(),
        Gio.TlsError.MISC,
        'Error performing TLS handshake: An unexpected TLS packet was received.',
      ),
      context,
    );
    expect((plain as TlsError).problem).toBe('not-tls');
  });

  it('maps a reply that is not HTTP to NotOllamaError', () => {
    const error = mapGLibError(
      GLib.Error.new_literal(
        Soup.SessionError.quark(),
        Soup.SessionError.PARSING,
        'Could not parse',
      ),
      context,
    );
    expect(error).toBeInstanceOf(NotOllamaError);
    expect(error.retryable).toBeFalse();
    expect(error.message).toContain('is not Ollama');
  });

  it('maps a body that cannot be decoded to MalformedReplyError', () => {
    const error = mapGLibError(
      GLib.Error.new_literal(Soup.SessionError.quark(), Soup.SessionError.ENCODING, 'bad gzip'),
      context,
    );
    expect(error).toBeInstanceOf(MalformedReplyError);
  });

  it('passes OllamaErrors and errors of other kinds through unchanged', () => {
    const ollama = new CancelledError();
    expect(mapError(ollama, context)).toBe(ollama);
    const bug = new TypeError('a bug');
    expect(mapError(bug, context)).toBe(bug);
    expect(mapError(ioError(Gio.IOErrorEnum.CONNECTION_REFUSED), context)).toBeInstanceOf(
      NetworkError,
    );
  });

  it('gives every error class its own name and the OllamaError base', () => {
    const errors: [OllamaError, string][] = [
      [new HttpError(500, null), 'HttpError'],
      [new StreamError('x'), 'StreamError'],
      [new NetworkError('other'), 'NetworkError'],
      [new TlsError(), 'TlsError'],
      [new TimeoutError(30), 'TimeoutError'],
      [new CancelledError(), 'CancelledError'],
      [new MalformedReplyError('x'), 'MalformedReplyError'],
      [new InvalidModelNameError('x y', 'it contains spaces'), 'InvalidModelNameError'],
      [new NotOllamaError(), 'NotOllamaError'],
      [new RedirectError({ location: 'https://example.com' }), 'RedirectError'],
    ];
    for (const [error, name] of errors) {
      expect(error).toBeInstanceOf(OllamaError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.message).toMatch(/\.$/);
      expect(String(error)).toBe(`${name}: ${error.message}`);
    }
  });
});

describe('Ollama HttpError', () => {
  it('explains a missing or refused API key for 401 and 403', () => {
    const missing = new HttpError(401, 'unauthorized', { host, apiKeySent: false });
    expect(missing.message).toContain('asks for an API key');
    expect(missing.retryable).toBeFalse();
    const wrong = new HttpError(401, 'unauthorized', { host, apiKeySent: true });
    expect(wrong.message).toContain('did not accept the API key');
    expect(new HttpError(403, null, { host }).message).toContain('API key');
    expect(new HttpError(403, null, { host, apiKeySent: true }).message).toContain('API key');
    expect(new HttpError(403, null).retryable).toBeFalse();
  });

  it('shows the server text of a 404', () => {
    const error = new HttpError(404, "model 'x:latest' not found", { host });
    expect(error.message).toBe("Ollama at 192.168.1.5:11434: model 'x:latest' not found.");
    expect(error.retryable).toBeFalse();
    expect(error.status).toBe(404);
    expect(error.serverText).toBe("model 'x:latest' not found");
    expect(new HttpError(404, null, { host }).message).toContain('HTTP 404');
  });

  it('makes server failures and rate limits retryable, other client errors not', () => {
    for (const status of [500, 502, 503, 504, 408, 429])
      expect(new HttpError(status, null).retryable).withContext(`${status}`).toBeTrue();
    for (const status of [400, 401, 403, 404, 405, 412])
      expect(new HttpError(status, null).retryable).withContext(`${status}`).toBeFalse();
    expect(new HttpError(500, 'something broke.', { host }).message).toBe(
      'Ollama at 192.168.1.5:11434 failed: something broke (HTTP 500). Try again later.',
    );
    expect(new HttpError(503, null, { host }).message).toContain('try again in a moment');
    expect(new HttpError(400, 'invalid model name', { host }).message).toBe(
      'Ollama at 192.168.1.5:11434 rejected the request: invalid model name.',
    );
  });
});

describe('Ollama StreamError', () => {
  const cases: [string, string, boolean, RegExp][] = [
    ['pull model manifest: file does not exist', 'unknown-model', false, /Check the spelling/],
    ['unauthorized: access denied', 'unauthorized', false, /private/],
    [
      'pull model manifest: 401: {"error":"Invalid username or password."}',
      'unauthorized',
      false,
      /private/,
    ],
    [
      'pull model manifest: 412: The model you are attempting to pull requires a newer version of Ollama.',
      'outdated-server',
      false,
      /newer version of Ollama.*Update Ollama/,
    ],
    ['invalid model name', 'invalid-name', false, /not valid/],
    [
      'write /root/.ollama/models/blobs/sha256-abc-partial: no space left on device',
      'disk-full',
      false,
      /Free some space/,
    ],
    [
      'digest mismatch, file must be downloaded again: want sha256:aa, got sha256:bb',
      'digest-mismatch',
      true,
      /downloads it anew/,
    ],
    ['max retries exceeded: unexpected EOF', 'network', true, /resumes/],
    ['something odd happened', 'other', true, /something odd happened\.$/],
  ];
  for (const [text, reason, retryable, message] of cases)
    it(`reads “${text.slice(0, 40)}” as ${reason}`, () => {
      const error = new StreamError(text, { host });
      expect(error.reason).toBe(reason);
      expect(error.retryable).toBe(retryable);
      expect(error.message).toMatch(message);
      expect(error.serverText).toBe(text);
    });
});

describe('Ollama TimeoutError', () => {
  it('names the limit', () => {
    expect(new TimeoutError(30, { host }).message).toBe(
      'Ollama at 192.168.1.5:11434 did not answer within 30 seconds. Check the network, or try again.',
    );
    expect(new TimeoutError(1, { host }).message).toContain('within 1 second.');
    expect(new TimeoutError(null, { host }).message).toContain('did not answer in time');
  });
});

describe('Ollama RedirectError', () => {
  it('names the address to use, without the control characters a server may put in it', () => {
    const error = new RedirectError({
      host,
      location: 'https://evil.example/\u001b[2J\u202eollama\r\nX-Injected: 1\u0007',
    });
    expect(error.message).toBe(
      'Ollama at 192.168.1.5:11434 redirected to https://evil.example/[2JollamaX-Injected: 1; use that address.',
    );
    expect(error.retryable).toBeFalse();
    expect(new RedirectError({ host, location: 'x'.repeat(500) }).location!.length).toBe(201);
  });

  it('says when it went round in circles', () => {
    expect(new RedirectError({ host, location: null, hops: 5 }).message).toBe(
      'Ollama at 192.168.1.5:11434 redirected the request more than 5 times. Check the address.',
    );
  });
});
