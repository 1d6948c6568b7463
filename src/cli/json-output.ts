/**
 * Stable `--json` output: indented, and with the characters a terminal would act on
 * written as \u escapes (JSON.stringify leaves C1 controls and bidi marks as they are),
 * so the server's text reaches a script exactly and the terminal harmlessly.
 */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
