/* eslint-disable no-control-regex -- matching control characters is the point here */

/**
 * Escape sequences, in 7-bit (ESC …) and 8-bit (C1) form: CSI (`ESC [` or U+009B, up to
 * its final byte); OSC, DCS, SOS, PM and APC strings (up to BEL or ST, else to the end of
 * the text, which a terminal would swallow too); any other ESC with its intermediates
 * and final character.
 */
const ESCAPE_SEQUENCE = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?',
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^]*?(?:\\x07|\\x1b\\\\|\\x9c|$)',
    '\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]?',
  ].join('|'),
  'g',
);

/**
 * What is left to drop: C0 controls but newline and tab (so also CR, which could
 * overwrite a line), DEL, C1 controls, and the bidi embeddings, overrides and isolates
 * that could make a line read other than it is.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a server, the catalog or a config file as it may go to a terminal: without
 * escape sequences or control characters, so it can neither move the cursor, clear the
 * screen, set the title, make links nor overwrite what was printed. Newlines and tabs
 * stay, and so does every printable character.
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}
