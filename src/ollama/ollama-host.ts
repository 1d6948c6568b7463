import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';

/** Where Ollama listens unless told otherwise. */
export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';

const OLLAMA_PORT = 11434;
const LOOPBACK_V4 = '127.0.0.1';

/** A server address taken apart, before any of it is checked. */
interface AddressParts {
  scheme: string;
  schemeGiven: boolean;
  userinfo: string | null;
  host: string;
  bracketed: boolean;
  portText: string | null;
  path: string;
  /** A query or fragment, which has no place in a base URL. */
  extra: string;
}

function split(text: string): AddressParts {
  let rest = text;
  let scheme = 'http';
  const schemeEnd = rest.indexOf('://');
  const schemeGiven = schemeEnd >= 0;
  if (schemeGiven) {
    scheme = rest.slice(0, schemeEnd).toLowerCase();
    rest = rest.slice(schemeEnd + 3);
  }
  const extraStart = rest.search(/[?#]/);
  const extra = extraStart >= 0 ? rest.slice(extraStart) : '';
  if (extraStart >= 0) rest = rest.slice(0, extraStart);

  const slash = rest.indexOf('/');
  const path = slash >= 0 ? rest.slice(slash) : '';
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : null;
  authority = authority.slice(at + 1);

  let host = authority;
  let portText: string | null = null;
  let bracketed = false;
  if (authority.startsWith('[')) {
    bracketed = true;
    const close = authority.indexOf(']');
    if (close < 0) {
      host = authority; // no "]": fails the host check
    } else {
      host = authority.slice(1, close);
      const after = authority.slice(close + 1);
      if (after.startsWith(':')) portText = after.slice(1);
      else if (after !== '') host = authority; // junk after "]": fails the host check
    }
  } else {
    // One colon separates the port; more mean a bare IPv6 address, as in Go's SplitHostPort.
    const colon = authority.indexOf(':');
    if (colon >= 0 && colon === authority.lastIndexOf(':')) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  return { scheme, schemeGiven, userinfo, host, bracketed, portText, path, extra };
}

/** Strips spaces and the quotes people put around environment values, as Ollama does. */
function clean(text: string): string {
  return text
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
}

function defaultPort(parts: AddressParts): number {
  if (!parts.schemeGiven) return OLLAMA_PORT;
  if (parts.scheme === 'https') return 443;
  if (parts.scheme === 'http') return 80;
  return OLLAMA_PORT;
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * The host in its canonical form (lower case, IDN as punycode, IP addresses as Gio writes
 * them), or null if it is not a host name or IP address. The unspecified addresses
 * (0.0.0.0, ::) become loopback: the server binds them, a client means "this machine".
 */
function normaliseHost(host: string, bracketed: boolean): string | null {
  if (host.includes('%')) return null;
  const address = Gio.InetAddress.new_from_string(host);
  if (address) {
    if (bracketed && address.get_family() !== Gio.SocketFamily.IPV6) return null;
    if (address.get_is_any())
      return address.get_family() === Gio.SocketFamily.IPV6 ? '::1' : LOOPBACK_V4;
    return address.to_string();
  }
  if (bracketed || host.includes(':') || /^[\d.]+$/.test(host)) return null;
  const ascii = /^[\x20-\x7e]*$/.test(host) ? host : GLib.hostname_to_ascii(host);
  if (!ascii || ascii.length > 253) return null;
  const name = ascii.toLowerCase();
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/.test(name) ? name : null;
}

function compose(
  scheme: string,
  userinfo: string | null,
  host: string,
  port: number | string,
  path: string,
  extra: string,
): string {
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const user = userinfo === null ? '' : `${userinfo}@`;
  return `${scheme}://${user}${hostInUrl}:${port}${path.replace(/\/+$/, '')}${extra}`;
}

/**
 * The base URL that an `OLLAMA_HOST` value names, by Ollama's own rules: empty means
 * http://127.0.0.1:11434; `host`, `host:port` and `:port` (127.0.0.1) are plain HTTP on
 * port 11434 unless a port is given; `http://host` means port 80 and `https://host` 443;
 * IPv6 in brackets; a path after the host is kept (reverse proxies) without trailing
 * slashes; a port that is not 1–65535 falls back to the default. The result always names
 * its port. Parts Ollama would not fix either (an unknown scheme, a bad host name) are
 * kept, so that {@link validateServerUrl} can say what is wrong with them.
 */
export function parseOllamaHost(value: string | null | undefined): string {
  const text = clean(value ?? '');
  if (text === '') return DEFAULT_OLLAMA_URL;
  if (text.toLowerCase() === 'ollama.com') return 'https://ollama.com:443';
  const parts = split(text);
  const port = parsePort(parts.portText ?? '') ?? defaultPort(parts);
  const host =
    parts.host === ''
      ? LOOPBACK_V4
      : (normaliseHost(parts.host, parts.bracketed) ?? parts.host.toLowerCase());
  return compose(parts.scheme, parts.userinfo, host, port, parts.path, parts.extra);
}

export type ServerUrlCheck = { url: string } | { error: string };

/**
 * Checks an address typed by the user (any form `OLLAMA_HOST` takes) and gives the
 * normalised base URL, or a sentence that says what is wrong.
 */
export function validateServerUrl(text: string): ServerUrlCheck {
  const value = clean(text);
  if (value === '')
    return { error: _('Enter the address of an Ollama server, such as http://192.168.1.5:11434.') };
  if (value.toLowerCase() === 'ollama.com') return { url: 'https://ollama.com:443' };
  const parts = split(value);
  if (parts.scheme !== 'http' && parts.scheme !== 'https')
    return {
      error: fillTemplate(
        _('“{scheme}” addresses are not supported: start the address with http:// or https://.'),
        { scheme: parts.scheme },
      ),
    };
  if (parts.userinfo !== null)
    return {
      error: _(
        'Leave user names and passwords out of the address; put a key in the API key field.',
      ),
    };
  if (parts.extra !== '') return { error: _('The address of a server cannot contain “?” or “#”.') };

  let host: string | null;
  if (parts.host === '' && !parts.bracketed) {
    // ":11434" is Ollama's short form for this machine; "http://" or "http://:80" names no host.
    if (parts.schemeGiven || parts.portText === null)
      return { error: _('The address has no host name or IP address.') };
    host = LOOPBACK_V4;
  } else {
    host = normaliseHost(parts.host, parts.bracketed);
    if (host === null)
      return {
        error: fillTemplate(_('“{host}” is not a valid host name or IP address.'), {
          host: parts.host,
        }),
      };
  }

  let port = defaultPort(parts);
  if (parts.portText !== null) {
    const given = parsePort(parts.portText);
    if (given === null) return { error: _('The port must be a number from 1 to 65535.') };
    port = given;
  }

  if (
    !/^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)*$/.test(parts.path) ||
    /%(?![0-9A-Fa-f]{2})/.test(parts.path)
  )
    return {
      error: fillTemplate(_('The path “{path}” has characters that cannot appear in an address.'), {
        path: parts.path,
      }),
    };
  return { url: compose(parts.scheme, null, host, port, parts.path, '') };
}

/** The host part of a URL, without the brackets of an IPv6 address. */
export function urlHost(url: string): string {
  return split(clean(url)).host;
}

/** The server of a parsed URL as people know it: "example.com", "127.0.0.1:8080", "[::1]:8080". */
export function hostLabel(uri: GLib.Uri): string {
  const host = uri.get_host() ?? '';
  const shown = host.includes(':') ? `[${host}]` : host;
  const port = uri.get_port();
  return port > 0 ? `${shown}:${port}` : shown;
}

/**
 * True when the URL's host is this machine (127.0.0.0/8, ::1, localhost), so that a key
 * sent to it over plain HTTP never crosses a network.
 */
export function isLoopbackUrl(url: string): boolean {
  const host = urlHost(url).toLowerCase();
  if (host === 'localhost' || host === 'localhost.') return true;
  const address = Gio.InetAddress.new_from_string(host);
  return address !== null && (address.get_is_loopback() || address.get_is_any());
}

/**
 * True when an API key sent to the URL would cross a network unencrypted: plain HTTP to
 * another machine. The connection dialog and the command line warn about it.
 */
export function sendsKeyInClear(url: string): boolean {
  return /^http:/i.test(url.trim()) && !isLoopbackUrl(url);
}

/**
 * "scheme://host:port" of an http(s) URL, the default port filled in; null when it is not
 * one. An API key belongs to one origin: it never follows a redirect to another, and a
 * connection moved to another asks before taking it along.
 */
export function urlOrigin(url: string): string | null {
  let uri: GLib.Uri;
  try {
    uri = GLib.Uri.parse(url.trim(), GLib.UriFlags.NONE);
  } catch {
    return null;
  }
  const scheme = uri.get_scheme().toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return null;
  const port = uri.get_port();
  const host = (uri.get_host() ?? '').toLowerCase();
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port > 0 ? port : scheme === 'https' ? 443 : 80}`;
}
