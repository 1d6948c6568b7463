import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a stream to its end; null as soon as it is longer than `limit` bytes (reading
 * stops there), so an endless or huge reply never fills the memory.
 */
export async function readBounded(
  input: Gio.InputStream,
  limit: number,
  cancellable: Gio.Cancellable | null,
  priority = GLib.PRIORITY_DEFAULT,
): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const bytes = await input.read_bytes_async(CHUNK_BYTES, priority, cancellable);
    if (bytes.get_size() === 0) break;
    const part = bytes.toArray();
    size += part.length;
    if (size > limit) return null;
    parts.push(part);
  }
  if (parts.length === 1) return parts[0];
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  return body;
}
