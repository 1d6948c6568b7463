import type GObject from 'gi://GObject';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GObject signals pass anything
type Handler = (...args: any[]) => unknown;

const connections = new WeakMap<object, { target: GObject.Object; id: number }[]>();

/**
 * Connects handlers to `target` on behalf of `owner`, as gnome-shell's connectObject
 * does: disconnectObject(owner) later disconnects them all. The one way Paddock ties a
 * widget (or any short-lived object) to signals of longer-lived ones: widgets call
 * disconnectObject(this) on 'unrealize', which closing always brings ('destroy' does
 * not come while a handler keeps the widget alive).
 */
export function connectObject(
  owner: object,
  target: GObject.Object,
  handlers: Record<string, Handler>,
): void {
  let list = connections.get(owner);
  if (!list) connections.set(owner, (list = []));
  for (const [signal, handler] of Object.entries(handlers))
    list.push({ target, id: target.connect(signal, handler) });
}

/** Disconnects what connectObject connected for `owner`; twice is harmless. */
export function disconnectObject(owner: object): void {
  for (const { target, id } of connections.get(owner) ?? []) target.disconnect(id);
  connections.delete(owner);
}
