import GLib from 'gi://GLib';
import Gio from 'gi://Gio';

import { MalformedReplyError } from '../../../src/ollama/errors.js';
import { NdjsonReader, type NdjsonReaderOptions } from '../../../src/ollama/ndjson-reader.js';

const encoder = new TextEncoder();

function streamOf(data: Uint8Array | string): Gio.MemoryInputStream {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return Gio.MemoryInputStream.new_from_bytes(new GLib.Bytes(bytes));
}

async function readAllLines(reader: NdjsonReader): Promise<string[]> {
  const lines: string[] = [];
  for (;;) {
    const batch = await reader.readLines();
    if (batch === null) return lines;
    expect(batch.length).toBeGreaterThan(0);
    lines.push(...batch);
  }
}

/** Every line of `text` when the stream hands it out `chunkBytes` at a time. */
async function linesOf(text: string, options: NdjsonReaderOptions = {}): Promise<string[]> {
  return readAllLines(new NdjsonReader(streamOf(text), options));
}

describe('Ollama NdjsonReader', () => {
  it('splits a stream into lines', async () => {
    expect(await linesOf('{"a":1}\n{"b":2}\n')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('keeps a last line that has no newline', async () => {
    expect(await linesOf('{"a":1}\n{"b":2}')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('drops the \\r of CRLF line ends and skips empty lines', async () => {
    expect(await linesOf('one\r\n\r\n\ntwo\r\nthree\r')).toEqual(['one', 'two', 'three']);
  });

  it('returns nothing for an empty stream, or one of newlines only', async () => {
    expect(await linesOf('')).toEqual([]);
    expect(await linesOf('\n\r\n\n')).toEqual([]);
  });

  it('gives the same lines wherever the chunk boundaries fall', async () => {
    const text = '{"status":"pulling manifest"}\r\n\n{"s":"ü€𝄞"}\nlast';
    const expected = ['{"status":"pulling manifest"}', '{"s":"ü€𝄞"}', 'last'];
    const size = encoder.encode(text).length;
    for (let chunkBytes = 1; chunkBytes <= size + 1; chunkBytes++)
      expect(await linesOf(text, { chunkBytes }))
        .withContext(`chunks of ${chunkBytes} bytes`)
        .toEqual(expected);
  });

  it('puts multi-byte UTF-8 characters split across chunks back together', async () => {
    // Each of these is 2, 3 and 4 bytes long; chunks of 1 and 2 bytes cut through all of them.
    const text = 'äöü\n€€€\n𝄞𝄞\n';
    for (const chunkBytes of [1, 2, 3, 5])
      expect(await linesOf(text, { chunkBytes })).toEqual(['äöü', '€€€', '𝄞𝄞']);
  });

  it('hands out lines one at a time with readLine()', async () => {
    const reader = new NdjsonReader(streamOf('a\nb\n\nc'), { chunkBytes: 3 });
    const lines: (string | null)[] = [];
    for (let i = 0; i < 5; i++) lines.push(await reader.readLine());
    expect(lines).toEqual(['a', 'b', 'c', null, null]);
  });

  it('reads many lines of a real pull, 64 KiB at a time', async () => {
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++)
      expected.push(
        `{"status":"pulling dde5aa3fc5ff","digest":"sha256:dde5aa3fc5ff","total":2019377376,"completed":${i * 4096}}`,
      );
    expect(await linesOf(`${expected.join('\n')}\n`)).toEqual(expected);
  });

  it('accepts a line of exactly the limit, and not one byte more', async () => {
    const limit = 100;
    const exact = 'x'.repeat(limit);
    expect(await linesOf(`${exact}\nok\n`, { maxLineBytes: limit, chunkBytes: 7 })).toEqual([
      exact,
      'ok',
    ]);
    expect(await linesOf(`${exact}\n`, { maxLineBytes: limit, chunkBytes: 1000 })).toEqual([exact]);
    for (const chunkBytes of [7, 1000]) {
      await expectAsync(linesOf(`${exact}y\nok\n`, { maxLineBytes: limit, chunkBytes }))
        .withContext(`chunks of ${chunkBytes} bytes`)
        .toBeRejectedWithError(MalformedReplyError, /too long/);
      await expectAsync(linesOf(`${exact}y`, { maxLineBytes: limit, chunkBytes }))
        .withContext(`unterminated, chunks of ${chunkBytes} bytes`)
        .toBeRejectedWithError(MalformedReplyError, /too long/);
    }
  });

  it('fails on a 2 MiB line after reading little more than the 1 MiB limit', async () => {
    const junk = new Uint8Array(2 * 1024 * 1024 + 10).fill(0x61);
    junk[junk.length - 1] = 10;
    const stream = streamOf(junk);
    const reader = new NdjsonReader(stream, { host: '127.0.0.1:11434' });
    const error = await readAllLines(reader).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MalformedReplyError);
    expect((error as MalformedReplyError).message).toContain('too long');
    expect((error as MalformedReplyError).message).toContain('127.0.0.1:11434');
    expect(stream.tell()).toBeLessThanOrEqual(reader.maxLineBytes + 64 * 1024);
    // The failure sticks: the rest of that line is never read as lines.
    await expectAsync(reader.readLines()).toBeRejectedWithError(MalformedReplyError);
  });

  it('rejects bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 10]);
    await expectAsync(readAllLines(new NdjsonReader(streamOf(bytes)))).toBeRejectedWithError(
      MalformedReplyError,
      /UTF-8/,
    );
  });

  it('passes on read errors such as cancellation', async () => {
    const cancellable = new Gio.Cancellable();
    cancellable.cancel();
    const reader = new NdjsonReader(streamOf('a\n'));
    const error = await reader.readLines(cancellable).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GLib.Error);
    expect(
      (error as GLib.Error).matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED),
    ).toBeTrue();
  });

  it('closes its stream', async () => {
    const stream = streamOf('a\nb\n');
    const reader = new NdjsonReader(stream);
    expect(await reader.readLine()).toBe('a');
    await reader.close();
    expect(stream.is_closed()).toBeTrue();
    expect(await reader.readLines()).toBeNull();
  });
});
