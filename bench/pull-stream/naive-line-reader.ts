// Consumer: the obvious GJS way, one Gio.DataInputStream.read_line_async per line, then
// JSON.parse. Same HTTP stack as Paddock (Soup 3); only the line reading differs.
//   gjs -m naive-line-reader.js BASE_URL MODEL   → prints the number of progress lines
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { exit, programArgs } from 'system';

Gio._promisify(Soup.Session.prototype, 'send_async', 'send_finish');
Gio._promisify(Gio.DataInputStream.prototype, 'read_line_async', 'read_line_finish');

const decoder = new TextDecoder('utf-8');

async function pull(baseUrl: string, model: string): Promise<number> {
  const session = new Soup.Session();
  const message = Soup.Message.new('POST', `${baseUrl}/api/pull`);
  const body = new TextEncoder().encode(JSON.stringify({ model, stream: true }));
  message.set_request_body_from_bytes('application/json', new GLib.Bytes(body));
  const input = await session.send_async(message, GLib.PRIORITY_DEFAULT, null);
  if (message.status_code !== 200) throw new Error(`HTTP ${message.status_code}`);
  const data = new Gio.DataInputStream({ base_stream: input, close_base_stream: true });
  let lines = 0;
  for (;;) {
    const [line] = await data.read_line_async(GLib.PRIORITY_DEFAULT, null);
    if (line === null) throw new Error('the stream ended before "success"');
    const json = JSON.parse(decoder.decode(line));
    if (typeof json.error === 'string') throw new Error(json.error);
    lines++;
    if (json.status === 'success') return lines;
  }
}

const [baseUrl, model] = programArgs;
const loop = new GLib.MainLoop(null, false);
let status = 0;
pull(baseUrl, model)
  .then(
    (lines) => print(lines),
    (error: unknown) => {
      printerr(`naive-line-reader: ${String(error)}`);
      status = 1;
    },
  )
  .finally(() => loop.quit());
loop.run();
exit(status);
