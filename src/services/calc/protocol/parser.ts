/**
 * Recursive descent with Python's precedence, one token of lookahead (two after "(" to
 * tell a tuple from a group), so parsing is linear in the input. Grammar:
 *
 *   expression := term (("+" | "-") term)*
 *   term       := factor (("*" | "/" | "//" | "%") factor)*
 *   factor     := ("+" | "-") factor | power
 *   power      := primary (("**" | "^") factor)?          right-associative, binds tighter than a sign on its left
 *   primary    := number | constant | function "(" [expression ("," expression)*] ")"
 *               | "(" expression ")" | "(" operator "," expression ("," expression)+ ")"
 *
 * Left-associative runs are kept as flat chains, so a long `1+1+...+1` costs no stack;
 * everything that nests (groups, calls, tuples, signs, exponents) counts against maxDepth.
 * Names are resolved here: an unknown one fails before anything is computed.
 */
import {
  CalcArityError,
  CalcSyntaxError,
  CalcTooDeepError,
  CalcUnknownFunctionError,
  CalcUnknownNameError,
  quote,
} from '../errors.js';
import { Lexer, type Operator, type Token } from './lexer.js';
import type { CalcLimits } from './limits.js';
import type { CalcNumber } from './rational.js';

/** `^` is parsed as `**`. */
export type BinaryOperator = Exclude<Operator, '^'>;
export type FunctionName = 'abs' | 'sqrt' | 'min' | 'max' | 'round' | 'floor' | 'ceil';
export type ConstantName = 'pi' | 'e';

/** `at` is the UTF-16 index of the token to blame for an error there. */
export type Node =
  | { kind: 'number'; value: CalcNumber; at: number }
  | { kind: 'constant'; name: ConstantName; at: number }
  | { kind: 'unary'; op: '+' | '-'; operand: Node; at: number }
  | { kind: 'chain'; first: Node; rest: Link[] }
  | { kind: 'power'; base: Node; exponent: Node; at: number }
  | { kind: 'call'; name: FunctionName; args: Node[]; at: number }
  | { kind: 'tuple'; op: BinaryOperator; operands: Node[]; at: number };

export interface Link {
  op: BinaryOperator;
  operand: Node;
  at: number;
}

/** Each function's least and greatest number of arguments. */
export const FUNCTIONS: Record<FunctionName, readonly [number, number]> = {
  abs: [1, 1],
  ceil: [1, 1],
  floor: [1, 1],
  max: [1, Number.POSITIVE_INFINITY],
  min: [1, Number.POSITIVE_INFINITY],
  round: [1, 2],
  sqrt: [1, 1],
};
export const CONSTANTS: readonly ConstantName[] = ['pi', 'e'];

const OPERAND = 'a number, "(", a name or a function';
const AFTER_TOP = 'an operator or the end of the expression';
const AFTER_GROUP = 'an operator or ")"';
const AFTER_ITEM = 'an operator, "," or ")"';

/** What may follow a complete operand, besides an operator: at the top, in a group, in a list. */
const END: readonly Token['kind'][] = ['end'];
const CLOSE: readonly Token['kind'][] = [')'];
const NEXT_ITEM: readonly Token['kind'][] = [',', ')'];

/** Characters people paste from word processors, and what to type instead. */
const LOOKALIKES: Record<string, string> = {
  '\u2212': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u00d7': '*',
  '\u22c5': '*',
  '\u2217': '*',
  '\u00b7': '*',
  '\u00f7': '/',
  '\u2215': '/',
};

function isFunction(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name);
}

function isConstant(name: string): name is ConstantName {
  return (CONSTANTS as readonly string[]).includes(name);
}

/** A hint when `name` is a known name in other letter case. */
function caseHint(name: string): string | undefined {
  const lower = name.toLowerCase();
  const known = [...Object.keys(FUNCTIONS), ...CONSTANTS].find((candidate) => candidate === lower);
  return known === undefined ? undefined : `names are case-sensitive: did you mean ${quote(known)}?`;
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'number':
      return `the number ${quote(token.text)}`;
    case 'name':
      return `the name ${quote(token.text)}`;
    case 'invalid': {
      const code = `U+${token.text.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      const instead = LOOKALIKES[token.text];
      return `${quote(token.text)} (${code}${instead === undefined ? '' : `; type ${quote(instead)}`})`;
    }
    default:
      return quote(token.text);
  }
}

export function parse(source: string, limits: CalcLimits): Node {
  return new Parser(new Lexer(source, limits), limits.maxDepth).parseAll();
}

class Parser {
  private depth = 0;

  constructor(
    private readonly lexer: Lexer,
    private readonly maxDepth: number,
  ) {}

  parseAll(): Node {
    if (this.lexer.peek().kind === 'end') throw new CalcSyntaxError('empty expression', 1);
    const node = this.expression();
    this.expect(END, AFTER_TOP);
    return node;
  }

  private fail(token: Token, expected: string): CalcSyntaxError {
    const found = describeToken(token);
    return new CalcSyntaxError(`expected ${expected}, found ${found}`, this.lexer.column(token.start), {
      expected,
      found,
    });
  }

  /** After a complete operand, only an operator (which would have continued it) or one of `kinds` may come. */
  private expect(kinds: readonly Token['kind'][], expected: string): Token {
    const token = this.lexer.peek();
    if (!kinds.includes(token.kind)) throw this.fail(token, expected);
    return this.lexer.next();
  }

  private enter(token: Token): void {
    if (++this.depth > this.maxDepth)
      throw new CalcTooDeepError(this.maxDepth, this.lexer.column(token.start));
  }

  private leave(): void {
    this.depth--;
  }

  /** term (("+" | "-") term)*, kept as a flat chain. */
  private expression(): Node {
    const first = this.term();
    let rest: Link[] | undefined;
    for (;;) {
      const token = this.lexer.peek();
      if (token.kind !== 'operator' || (token.text !== '+' && token.text !== '-')) break;
      this.lexer.next();
      rest ??= [];
      rest.push({ op: token.text, operand: this.term(), at: token.start });
    }
    return rest === undefined ? first : { kind: 'chain', first, rest };
  }

  /** factor (("*" | "/" | "//" | "%") factor)*, kept as a flat chain. */
  private term(): Node {
    const first = this.factor();
    let rest: Link[] | undefined;
    for (;;) {
      const token = this.lexer.peek();
      if (token.kind !== 'operator') break;
      const op = token.text;
      if (op !== '*' && op !== '/' && op !== '//' && op !== '%') break;
      this.lexer.next();
      rest ??= [];
      rest.push({ op, operand: this.factor(), at: token.start });
    }
    return rest === undefined ? first : { kind: 'chain', first, rest };
  }

  private factor(): Node {
    const token = this.lexer.peek();
    if (token.kind === 'operator' && (token.text === '+' || token.text === '-')) {
      this.lexer.next();
      this.enter(token);
      const operand = this.factor();
      this.leave();
      return { kind: 'unary', op: token.text, operand, at: token.start };
    }
    return this.power();
  }

  private power(): Node {
    const base = this.primary();
    const token = this.lexer.peek();
    if (token.kind !== 'operator' || (token.text !== '**' && token.text !== '^')) return base;
    this.lexer.next();
    this.enter(token);
    const exponent = this.factor();
    this.leave();
    return { kind: 'power', base, exponent, at: token.start };
  }

  private primary(): Node {
    const token = this.lexer.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value, at: token.start };
      case 'name':
        return this.name(token);
      case '(': {
        const first = this.lexer.peek();
        const second = this.lexer.peek(1);
        if (first.kind === 'operator' && second.kind === ',') return this.tuple(token);
        this.enter(token);
        const inner = this.expression();
        this.expect(CLOSE, AFTER_GROUP);
        this.leave();
        return inner;
      }
      default:
        throw this.fail(token, OPERAND);
    }
  }

  private name(token: Token): Node {
    const { text } = token;
    const column = this.lexer.column(token.start);
    if (this.lexer.peek().kind === '(') {
      if (!isFunction(text)) {
        const hint = isConstant(text)
          ? `${text} is a constant, not a function`
          : (caseHint(text) ?? `the functions are ${Object.keys(FUNCTIONS).join(', ')}`);
        throw new CalcUnknownFunctionError(text, column, hint);
      }
      const open = this.lexer.next();
      this.enter(open);
      const args = this.items();
      this.leave();
      const [least, most] = FUNCTIONS[text];
      if (args.length < least || args.length > most) {
        const wanted =
          most === Number.POSITIVE_INFINITY
            ? `at least ${least}`
            : least === most
              ? `${least}`
              : `${least} or ${most}`;
        const plural = wanted.endsWith('1') ? '' : 's';
        throw new CalcArityError(`${text} takes ${wanted} argument${plural}, got ${args.length}`, column);
      }
      return { kind: 'call', name: text, args, at: token.start };
    }
    if (isConstant(text)) return { kind: 'constant', name: text, at: token.start };
    if (isFunction(text)) {
      throw new CalcSyntaxError(
        `expected "(" after the function ${quote(text)}`,
        this.lexer.column(this.lexer.peek().start),
        {
          expected: '"("',
          found: describeToken(this.lexer.peek()),
        },
      );
    }
    throw new CalcUnknownNameError(text, column, caseHint(text) ?? 'the constants are pi and e');
  }

  /** Comma-separated expressions up to and including ")"; none at all is allowed. */
  private items(): Node[] {
    if (this.lexer.peek().kind === ')') {
      this.lexer.next();
      return [];
    }
    const items = [this.expression()];
    while (this.expect(NEXT_ITEM, AFTER_ITEM).kind === ',') items.push(this.expression());
    return items;
  }

  /** The lecture's form: (+, 5, 6). + and * take two or more operands, the others exactly two. */
  private tuple(open: Token): Node {
    this.enter(open);
    const operator = this.lexer.next();
    this.lexer.next(); // the comma
    const operands = [this.expression()];
    while (this.expect(NEXT_ITEM, AFTER_ITEM).kind === ',') operands.push(this.expression());
    this.leave();
    const op: BinaryOperator = operator.text === '^' ? '**' : (operator.text as BinaryOperator);
    const variadic = op === '+' || op === '*';
    if (operands.length < 2 || (!variadic && operands.length > 2)) {
      throw new CalcArityError(
        `(${operator.text}, ...) takes ${variadic ? 'two or more' : 'two'} operands, got ${operands.length}`,
        this.lexer.column(open.start),
      );
    }
    return { kind: 'tuple', op, operands, at: operator.start };
  }
}
