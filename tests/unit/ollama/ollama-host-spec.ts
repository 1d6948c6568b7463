import GLib from 'gi://GLib';

import {
  DEFAULT_OLLAMA_URL,
  hostLabel,
  isLoopbackUrl,
  parseOllamaHost,
  sendsKeyInClear,
  urlHost,
  urlOrigin,
  validateServerUrl,
} from '../../../src/ollama/ollama-host.js';

function errorOf(text: string): string {
  const check = validateServerUrl(text);
  if ('url' in check) throw new Error(`“${text}” was accepted as ${check.url}`);
  return check.error;
}

function urlOf(text: string): string {
  const check = validateServerUrl(text);
  if ('error' in check) throw new Error(`“${text}” was refused: ${check.error}`);
  return check.url;
}

describe('OllamaHost parseOllamaHost', () => {
  const table: [string | null | undefined, string][] = [
    [undefined, 'http://127.0.0.1:11434'],
    [null, 'http://127.0.0.1:11434'],
    ['', 'http://127.0.0.1:11434'],
    ['   ', 'http://127.0.0.1:11434'],
    ['example.com', 'http://example.com:11434'],
    ['Example.COM', 'http://example.com:11434'],
    ['example.com:8080', 'http://example.com:8080'],
    ['192.168.1.5', 'http://192.168.1.5:11434'],
    ['192.168.1.5:11434', 'http://192.168.1.5:11434'],
    [':8080', 'http://127.0.0.1:8080'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:11500', 'http://127.0.0.1:11500'],
    ['http://example.com', 'http://example.com:80'],
    ['https://example.com', 'https://example.com:443'],
    ['HTTPS://Example.com', 'https://example.com:443'],
    ['http://example.com:8080', 'http://example.com:8080'],
    ['http://example.com:8080/', 'http://example.com:8080'],
    ['https://example.com/ollama/', 'https://example.com:443/ollama'],
    ['https://example.com:8443/a/b//', 'https://example.com:8443/a/b'],
    ['example.com/ollama', 'http://example.com:11434/ollama'],
    ['[::1]:11434', 'http://[::1]:11434'],
    ['[::1]', 'http://[::1]:11434'],
    ['::1', 'http://[::1]:11434'],
    ['[::]:11434', 'http://[::1]:11434'],
    ['http://[fe80::1]:8080/', 'http://[fe80::1]:8080'],
    ['"example.com:1234"', 'http://example.com:1234'],
    ["  'http://example.com'  ", 'http://example.com:80'],
    // Ollama falls back to the default port when the given one is not a port.
    ['example.com:99999', 'http://example.com:11434'],
    ['example.com:abc', 'http://example.com:11434'],
    ['example.com:', 'http://example.com:11434'],
    ['http://example.com:0', 'http://example.com:80'],
    ['ollama.com', 'https://ollama.com:443'],
    ['bücher.example', 'http://xn--bcher-kva.example:11434'],
  ];

  for (const [value, expected] of table) {
    it(`reads ${JSON.stringify(value)} as ${expected}`, () => {
      expect(parseOllamaHost(value)).toBe(expected);
    });
  }

  it('keeps what it cannot fix, for validateServerUrl to explain', () => {
    expect(parseOllamaHost('ftp://example.com')).toBe('ftp://example.com:11434');
    expect(errorOf(parseOllamaHost('ftp://example.com'))).toContain('http://');
    expect(errorOf(parseOllamaHost('http://user:secret@example.com'))).toContain('API key');
  });

  it('gives URLs that validateServerUrl accepts unchanged', () => {
    for (const [value] of table) {
      const url = parseOllamaHost(value);
      expect(urlOf(url)).toBe(url);
    }
  });

  it('defaults to the documented server', () => {
    expect(DEFAULT_OLLAMA_URL).toBe('http://127.0.0.1:11434');
  });
});

describe('OllamaHost validateServerUrl', () => {
  it('accepts every form OLLAMA_HOST takes and normalises it', () => {
    expect(urlOf('192.168.1.5')).toBe('http://192.168.1.5:11434');
    expect(urlOf(':11500')).toBe('http://127.0.0.1:11500');
    expect(urlOf('http://ollama.lan')).toBe('http://ollama.lan:80');
    expect(urlOf(' https://Proxy.Example.com/ollama/ ')).toBe(
      'https://proxy.example.com:443/ollama',
    );
    expect(urlOf('[::1]:8080')).toBe('http://[::1]:8080');
    expect(urlOf('http://0.0.0.0:11434')).toBe('http://127.0.0.1:11434');
    expect(urlOf('http://my_host:1')).toBe('http://my_host:1');
    expect(urlOf('https://example.com/a%20b/')).toBe('https://example.com:443/a%20b');
  });

  it('gives the same URL when given its own output', () => {
    for (const text of ['example.com', 'https://x.example/p/', '[::1]', ':1']) {
      const url = urlOf(text);
      expect(urlOf(url)).toBe(url);
    }
  });

  it('asks for an address when there is none', () => {
    expect(errorOf('')).toMatch(/^Enter the address/);
    expect(errorOf('   ')).toMatch(/^Enter the address/);
  });

  it('names the scheme it does not support', () => {
    expect(errorOf('ftp://example.com')).toBe(
      '“ftp” addresses are not supported: start the address with http:// or https://.',
    );
    expect(errorOf('ws://example.com')).toContain('“ws”');
  });

  it('says when there is no host', () => {
    const message = 'The address has no host name or IP address.';
    expect(errorOf('http://')).toBe(message);
    expect(errorOf('https:///path')).toBe(message);
    expect(errorOf('http://:8080')).toBe(message);
  });

  it('says when the port is not a port', () => {
    const message = 'The port must be a number from 1 to 65535.';
    for (const text of ['host:0', 'host:65536', 'host:abc', 'host:', 'http://host:-1', '[::1]:x'])
      expect(errorOf(text)).withContext(text).toBe(message);
    expect(urlOf('host:65535')).toBe('http://host:65535');
  });

  it('says which host name is not valid', () => {
    expect(errorOf('http://exa mple.com')).toBe(
      '“exa mple.com” is not a valid host name or IP address.',
    );
    expect(errorOf('http://[::1')).toContain('is not a valid host name');
    expect(errorOf('http://[example.com]:80')).toContain('is not a valid host name');
    expect(errorOf('http://[127.0.0.1]')).toContain('is not a valid host name');
    expect(errorOf('http://999.1.1.1')).toContain('is not a valid host name');
    expect(errorOf('http://a..b')).toContain('is not a valid host name');
    expect(errorOf('http://fe80::1%eth0')).toContain('is not a valid host name');
  });

  it('keeps credentials, queries and odd paths out of the address', () => {
    expect(errorOf('http://user:pw@example.com')).toBe(
      'Leave user names and passwords out of the address; put a key in the API key field.',
    );
    expect(errorOf('http://example.com/?a=b')).toBe(
      'The address of a server cannot contain “?” or “#”.',
    );
    expect(errorOf('http://example.com#top')).toContain('“#”');
    expect(errorOf('http://example.com/a b')).toBe(
      'The path “/a b” has characters that cannot appear in an address.',
    );
    expect(errorOf('http://example.com/100%')).toContain('The path');
  });
});

describe('OllamaHost isLoopbackUrl', () => {
  const loopback = [
    'http://127.0.0.1:11434',
    'http://127.1.2.3:80',
    'http://[::1]:11434',
    'http://localhost:11434',
    'http://LOCALHOST:11434/ollama',
    'http://0.0.0.0:11434',
  ];
  const remote = [
    'http://192.168.1.5:11434',
    'http://10.0.0.1:11434',
    'https://example.com:443',
    'http://[2001:db8::1]:11434',
    'http://localhost.example.com:11434',
    'http://127.0.0.1.example.com:80',
    'http://127.0.0.1@example.com:80',
    'not a url',
    '',
  ];

  for (const url of loopback)
    it(`sees ${url} as this machine`, () => expect(isLoopbackUrl(url)).toBeTrue());
  for (const url of remote)
    it(`sees ${JSON.stringify(url)} as another machine`, () =>
      expect(isLoopbackUrl(url)).toBeFalse());

  it('treats every address Ollama reads as loopback accordingly', () => {
    expect(isLoopbackUrl(parseOllamaHost(''))).toBeTrue();
    expect(isLoopbackUrl(parseOllamaHost(':8080'))).toBeTrue();
    expect(isLoopbackUrl(parseOllamaHost('0.0.0.0'))).toBeTrue();
    expect(isLoopbackUrl(parseOllamaHost('[::]'))).toBeTrue();
    expect(isLoopbackUrl(parseOllamaHost('ollama.com'))).toBeFalse();
  });
});

describe('OllamaHost urlHost', () => {
  it('gives the host without brackets, port or user', () => {
    expect(urlHost('http://example.com:11434/x')).toBe('example.com');
    expect(urlHost('http://[::1]:11434')).toBe('::1');
    expect(urlHost('https://user@example.com')).toBe('example.com');
  });
});

describe('OllamaHost hostLabel', () => {
  const label = (url: string) => hostLabel(GLib.Uri.parse(url, GLib.UriFlags.NONE));

  it('is the host with the port it was given, IPv6 in brackets', () => {
    expect(label('http://192.168.1.5:11434/')).toBe('192.168.1.5:11434');
    expect(label('https://catalog.example.com/library.json')).toBe('catalog.example.com');
    expect(label('http://[::1]:8080/x')).toBe('[::1]:8080');
    expect(label('https://[fe80::1]/')).toBe('[fe80::1]');
  });
});

describe('OllamaHost urlOrigin', () => {
  it('is scheme, host and port, the default port filled in', () => {
    expect(urlOrigin('http://Example.com/ollama')).toBe('http://example.com:80');
    expect(urlOrigin('https://example.com:443/x')).toBe('https://example.com:443');
    expect(urlOrigin('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434');
    expect(urlOrigin('http://[::1]:11434/')).toBe('http://[::1]:11434');
    expect(urlOrigin('ftp://example.com')).toBeNull();
    expect(urlOrigin('not a url')).toBeNull();
  });
});

describe('OllamaHost sendsKeyInClear', () => {
  it('is plain http to another machine', () => {
    expect(sendsKeyInClear('http://192.168.1.5:11434')).toBeTrue();
    expect(sendsKeyInClear('HTTP://ollama.example.com')).toBeTrue();
    expect(sendsKeyInClear('https://ollama.example.com')).toBeFalse();
    expect(sendsKeyInClear('http://127.0.0.1:11434')).toBeFalse();
    expect(sendsKeyInClear('http://localhost:11434')).toBeFalse();
  });
});
