/**
 * Makes a peer's text safe to show on someone else's terminal (sans I/O).
 *
 * - C0 controls (U+0000–U+001F) and DEL become caret notation: ESC is `^[`, NUL `^@`,
 *   DEL `^?`. With ESC gone, no escape sequence (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`,
 *   DCS, ...) can reach a terminal: its remaining bytes are plain, visible text.
 *   TAB is the exception: it becomes one space.
 * - C1 controls (U+0080–U+009F, which include the one-character CSI U+009B and OSC U+009D),
 *   bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, which can make text
 *   read backwards), U+2028/U+2029 (line and paragraph separators) and unpaired surrogates
 *   become U+FFFD.
 * Everything else, including any other Unicode, passes unchanged.
 */

const REPLACEMENT = '\uFFFD';
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function replace(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x09) return ' ';
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return '^?';
  return REPLACEMENT;
}

export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, replace);
}

/** True when `text` holds nothing sanitizeText would change. */
export function isSafeText(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return !found;
}
