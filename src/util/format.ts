import GLib from 'gi://GLib';

/** Sizes the GNOME way (decimal units, as Files shows them): "2.0 GB", "512 bytes". */
export function formatBytes(bytes: number): string {
  return GLib.format_size(Math.max(0, Math.round(bytes)));
}
