/** Character codes the calculator's scanners compare against (charCodeAt, no regexes on the hot path). */
export const TAB = 0x09;
export const SPACE = 0x20;
export const PERCENT = 0x25;
export const OPEN = 0x28;
export const CLOSE = 0x29;
export const STAR = 0x2a;
export const PLUS = 0x2b;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const DOT = 0x2e;
export const SLASH = 0x2f;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
export const CARET = 0x5e;
export const UNDERSCORE = 0x5f;
