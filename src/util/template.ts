/**
 * Fills `{name}` placeholders. Translatable strings use names rather than `%s` so that
 * translators can reorder them: _('Ollama {version} at {url}').
 */
export function fillTemplate(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
