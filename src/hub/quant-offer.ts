import { gettext as _, ngettext } from 'gettext';

import { fillTemplate, formatBytes } from '../util/text.js';
import { isPullable, type Quant, type QuantList } from './quants.js';

/** One quant as Add Model offers it: its label, and why it cannot be pulled (null when it can). */
export interface QuantOffer {
  quant: Quant;
  /** `Q4_K_M — 4.9 GB` (a split file with the size of all its parts). */
  label: string;
  problem: string | null;
}

/** The quants of a list in their order, each with its label and what stands in its way. */
export function quantOffers(list: QuantList): QuantOffer[] {
  return list.quants.map((quant) => ({
    quant,
    label: `${quant.name} — ${formatBytes(quant.size)}`,
    problem: isPullable(quant) ? null : quantProblem(quant),
  }));
}

function quantProblem(quant: Quant): string {
  if (!quant.complete)
    return fillTemplate(
      ngettext(
        'Only {present} of its {parts} parts is on Hugging Face.',
        'Only {present} of its {parts} parts are on Hugging Face.',
        quant.files.length,
      ),
      { present: quant.files.length, parts: quant.parts },
    );
  return fillTemplate(
    ngettext(
      'Split into {parts} file, which Ollama cannot download from Hugging Face.',
      'Split into {parts} files, which Ollama cannot download from Hugging Face.',
      quant.parts,
    ),
    { parts: quant.parts },
  );
}

/** Why nothing in the list can be pulled, or null when something can. */
export function quantListNote(list: QuantList): string | null {
  if (list.quants.length === 0) return _('This repository has no GGUF model files.');
  if (list.preferred === null)
    return _('Ollama cannot download any of these files from Hugging Face: they are all split.');
  return null;
}
