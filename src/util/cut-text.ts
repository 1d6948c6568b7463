const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The text, or when it is longer than `max` UTF-16 units (JavaScript's length, which is
 * what readers of Paddock's files check) its beginning and "…": cut between user-perceived
 * characters, never inside an emoji, a surrogate pair or before a combining mark.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
}
