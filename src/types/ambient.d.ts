// Ambient module declarations for `gi://…` imports and GJS built-ins.
import '@girs/gjs';
import '@girs/gjs/dom';
import '@girs/glib-2.0/ambient';
import '@girs/gobject-2.0/ambient';
import '@girs/gio-2.0/ambient';
import '@girs/soup-3.0/ambient';
import '@girs/json-1.0/ambient';
import '@girs/gtk-4.0/ambient';
import '@girs/gdk-4.0/ambient';
import '@girs/adw-1/ambient';
import '@girs/pango-1.0/ambient';
