/**
 * Properties (fast-check). The reference for arithmetic is Python: the same expression tree,
 * written with explicit parentheses and Fraction (or Decimal) literals, evaluated by one
 * python3 process per test. Then: printed results read back as the value they show, and no
 * input whatever makes the core throw anything but its own errors or answer other than one line.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalcError, calcReply, evaluate, parseCalcReply } from '../../../src/services/calc/index.js';
import { fraction, roundSignificant } from '../../../src/services/calc/protocol/rational.js';
import { describeWithPeers, PYTHON3 } from '../../helpers/peers.js';

type Op = '+' | '-' | '*' | '/' | '//' | '%';
type Tree =
  | { t: 'lit'; text: string }
  | { t: 'neg'; x: Tree }
  | { t: 'bin'; op: Op; l: Tree; r: Tree; spaced: boolean }
  | { t: 'pow'; base: Tree; n: number; caret: boolean }
  | { t: 'tuple'; op: Op; operands: Tree[] }
  | { t: 'call'; name: 'sqrt' | 'abs' | 'floor' | 'ceil' | 'round'; x: Tree }
  | { t: 'const'; name: 'pi' | 'e' };

const PRECEDENCE: Record<Op, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '//': 2, '%': 2 };

/** Integers and decimals as Python writes them: 12, 0.5, .5, 5., 1e3, 2.5E-3. */
const literal = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
  fc
    .tuple(
      fc.stringMatching(/^[0-9]{0,6}$/),
      fc.stringMatching(/^[0-9]{0,6}$/),
      fc.option(
        fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 20 })),
      ),
    )
    .filter(([whole, part]) => whole.length + part.length > 0)
    .map(([whole, part, exp]) => `${whole}.${part}${exp ? exp.join('') : ''}`),
);

function trees(withIrrational: boolean): fc.Arbitrary<Tree> {
  return fc.letrec<{ tree: Tree }>((tie) => {
    const sub = tie('tree');
    const ops = fc.constantFrom<Op>('+', '-', '*', '/', '//', '%');
    const branches: fc.Arbitrary<Tree>[] = [
      literal.map((text) => ({ t: 'lit' as const, text })),
      sub.map((x) => ({ t: 'neg' as const, x })),
      fc.record({ t: fc.constant('bin' as const), op: ops, l: sub, r: sub, spaced: fc.boolean() }),
      fc.record({
        t: fc.constant('pow' as const),
        base: sub,
        n: fc.integer({ min: -3, max: 4 }),
        caret: fc.boolean(),
      }),
      fc.record({
        t: fc.constant('tuple' as const),
        op: ops,
        operands: fc.array(sub, { minLength: 2, maxLength: 2 }),
      }),
    ];
    if (withIrrational) {
      branches.push(
        fc.record({
          t: fc.constant('call' as const),
          name: fc.constantFrom(
            'sqrt' as const,
            'abs' as const,
            'floor' as const,
            'ceil' as const,
            'round' as const,
          ),
          x: sub,
        }),
        fc.record({ t: fc.constant('const' as const), name: fc.constantFrom('pi' as const, 'e' as const) }),
      );
    }
    return { tree: fc.oneof({ maxDepth: 4, depthSize: 'small' }, ...branches) };
  }).tree;
}

/** Our syntax with as few parentheses as Python's precedence allows; returns text and precedence. */
function ours(tree: Tree): { text: string; prec: number } {
  const wrap = (node: Tree, needed: (prec: number) => boolean): string => {
    const { text, prec } = ours(node);
    return needed(prec) ? `(${text})` : text;
  };
  switch (tree.t) {
    case 'lit':
      return { text: tree.text, prec: 5 };
    case 'const':
      return { text: tree.name, prec: 5 };
    case 'call':
      return { text: `${tree.name}(${ours(tree.x).text})`, prec: 5 };
    case 'neg':
      return { text: `-${wrap(tree.x, (p) => p < 3)}`, prec: 3 };
    case 'pow':
      return { text: `${wrap(tree.base, (p) => p < 5)}${tree.caret ? '^' : '**'}${tree.n}`, prec: 4 };
    case 'tuple':
      return { text: `(${tree.op}, ${tree.operands.map((x) => ours(x).text).join(', ')})`, prec: 5 };
    case 'bin': {
      const level = PRECEDENCE[tree.op];
      const space = tree.spaced ? ' ' : '';
      const left = wrap(tree.l, (p) => p < level);
      const right = wrap(tree.r, (p) => p <= level);
      return { text: `${left}${space}${tree.op}${space}${right}`, prec: level };
    }
  }
}

/** Python with explicit parentheses and Fraction literals (// is wrapped: on Fractions it gives an int). */
function python(tree: Tree): string {
  switch (tree.t) {
    case 'lit':
      return `F('${tree.text}')`;
    case 'neg':
      return `(-${python(tree.x)})`;
    case 'pow':
      return `(${python(tree.base)} ** (${tree.n}))`;
    case 'bin':
    case 'tuple': {
      const [l, r] = tree.t === 'bin' ? [tree.l, tree.r] : (tree.operands as [Tree, Tree]);
      const text = `(${python(l)} ${tree.op} ${python(r)})`;
      return tree.op === '//' ? `F${text}` : text;
    }
    default:
      throw new Error(`no Python for ${tree.t}`);
  }
}

/** Runs a Python program that prints one JSON value; `input` goes to its stdin. */
function runPython(program: string, input = ''): unknown {
  const output = execFileSync('python3', ['-c', program], { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(output);
}

/** Our answer in the form the Python programs print. */
function ourRational(expr: string): string {
  try {
    const { value } = evaluate(expr, { maxDigits: 100_000 });
    expect(value.exact).toBe(true);
    return `${value.num}/${value.den}`;
  } catch (error) {
    if (error instanceof CalcError && error.code === 'NK_CALC_DIV_ZERO') return 'ZeroDivisionError';
    throw error;
  }
}

describeWithPeers('calc against Python', [PYTHON3], () => {
  it('evaluates random expression trees exactly as fractions.Fraction does', () => {
    const cases = fc.sample(trees(false), { numRuns: 400, seed: 20240601 });
    const program = [
      'import json',
      'from fractions import Fraction as F',
      'def run(case):',
      '    try:',
      '        r = case()',
      '        return f"{r.numerator}/{r.denominator}"',
      '    except ZeroDivisionError:',
      '        return "ZeroDivisionError"',
      'cases = [',
      ...cases.map((tree) => `    lambda: ${python(tree)},`),
      ']',
      'print(json.dumps([run(case) for case in cases]))',
    ].join('\n');
    const expected = runPython(program) as string[];
    expect(expected).toHaveLength(cases.length);
    let divisionsByZero = 0;
    cases.forEach((tree, i) => {
      const expr = ours(tree).text;
      expect({ expr, value: ourRational(expr) }).toEqual({ expr, value: expected[i] });
      if (expected[i] === 'ZeroDivisionError') divisionsByZero++;
    });
    // Most cases compare values, not errors.
    expect(divisionsByZero).toBeLessThan(cases.length / 2);
  });

  it('computes irrational results to the digits shown (decimal module, 60 digits)', () => {
    const positive = fc
      .tuple(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, scale]) => (digits / 10 ** scale).toString());
    // Not an integer: an exact base to an integer power is an exact fraction, checked above.
    const exponent = fc
      .tuple(fc.integer({ min: -5000, max: 5000 }), fc.stringMatching(/^[0-9]{0,3}[1-9]$/))
      .map(([whole, part]) => `${whole}.${part}`);
    const kinds = fc.oneof(
      positive.map((x) => ({ ours: `sqrt(${x})`, python: `D('${x}').sqrt()` })),
      fc
        .tuple(positive, exponent)
        .map(([x, y]) => ({ ours: `${x} ** (${y})`, python: `D('${x}') ** D('${y}')` })),
      exponent.map((y) => ({ ours: `e ** (${y})`, python: `D('${y}').exp()` })),
      positive.map((x) => ({ ours: `pi * ${x}`, python: `PI * D('${x}')` })),
      fc.tuple(positive, positive).map(([x, y]) => ({
        ours: `sqrt(${x}) / sqrt(${y})`,
        python: `D('${x}').sqrt() / D('${y}').sqrt()`,
      })),
    );
    const cases = fc.sample(kinds, { numRuns: 300, seed: 7 });
    const answers = cases.map((c) => {
      try {
        return evaluate(c.ours).text;
      } catch (error) {
        return (error as CalcError).code;
      }
    });
    const program = [
      'import json, sys',
      'from decimal import Decimal as D, getcontext',
      'getcontext().prec = 60',
      'PI = D("3.14159265358979323846264338327950288419716939937510582097494459")',
      'answers = json.loads(sys.stdin.read())',
      'def check(case, answer):',
      '    ref = case()',
      '    if answer.startswith("NK_"):',
      '        return [answer, str(ref)]',
      '    ours = D(answer)',
      '    # within one unit of the 30th significant digit',
      '    unit = D(10) ** (ref.adjusted() - 29)',
      '    return ["ok" if abs(ours - ref) <= unit else answer, str(ref)]',
      'cases = [',
      ...cases.map((c) => `    lambda: ${c.python},`),
      ']',
      'print(json.dumps([check(c, a) for c, a in zip(cases, answers)]))',
    ].join('\n');
    const results = runPython(program, JSON.stringify(answers)) as [string, string][];
    const failures = results
      .map(([verdict, ref], i) => ({ expr: cases[i]!.ours, verdict, ref }))
      .filter(({ verdict, ref }) => verdict !== 'ok' && !(verdict === 'NK_CALC_TOO_LARGE' && tooBig(ref)));
    expect(failures).toEqual([]);
  });
});

/** A Decimal's text whose value is beyond 10^±10000. */
function tooBig(ref: string): boolean {
  const match = /E([+-]\d+)$/.exec(ref);
  return match !== null && Math.abs(Number(match[1])) > 9990;
}

describe('calc properties', () => {
  it('prints results that read back as the value they show', () => {
    fc.assert(
      fc.property(trees(true), (tree) => {
        const expr = ours(tree).text;
        let result: ReturnType<typeof evaluate>;
        try {
          result = evaluate(expr);
        } catch (error) {
          if (error instanceof CalcError) return;
          throw error;
        }
        const back = evaluate(result.text, { maxLength: 100_000 }).value;
        expect(back.exact).toBe(true);
        if (result.exact) {
          expect(back).toEqual(result.value);
        } else {
          // The text is the value correctly rounded to 30 significant digits.
          const { m, exp } = roundSignificant(result.value.num, result.value.den, 30);
          expect(back).toEqual(
            exp >= 0 ? fraction(m * 10n ** BigInt(exp), 1n) : fraction(m, 10n ** BigInt(-exp)),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  const tokens = fc.constantFrom(
    '1',
    '23',
    '.5',
    '5.',
    '1e3',
    '2.5E-3',
    '1_000',
    '_',
    'e',
    'E',
    'pi',
    'sqrt',
    'max',
    'round',
    'x',
    '(',
    ')',
    ',',
    '+',
    '-',
    '*',
    '/',
    '//',
    '%',
    '**',
    '^',
    ' ',
    '\t',
    '−',
    '{',
    '"',
    '😀',
    '\u0000',
    '9'.repeat(40),
    '**9**9',
    '0',
    '.',
    '1e',
    '1e999999',
  );
  const inputs = fc.oneof(
    fc.array(tokens, { maxLength: 40 }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    trees(true).map((tree) => ours(tree).text),
  );

  it('throws nothing but calc errors, whatever the expression', () => {
    fc.assert(
      fc.property(inputs, (expr) => {
        try {
          const result = evaluate(expr);
          expect(result.text).toMatch(/^-?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?$/);
        } catch (error) {
          expect(error).toBeInstanceOf(CalcError);
          const { column } = error as CalcError;
          if (column !== undefined) expect(column).toBeGreaterThanOrEqual(1);
          if (column !== undefined) expect(column).toBeLessThanOrEqual(Array.from(expr).length + 1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('answers any bytes with exactly one line a client can parse', () => {
    const requests = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      inputs.map((expr) => new TextEncoder().encode(expr)),
      inputs.map((expr) => new TextEncoder().encode(JSON.stringify({ expr }))),
      fc.json().map((json) => new TextEncoder().encode(json)),
    );
    fc.assert(
      fc.property(requests, (request) => {
        const reply = calcReply(request);
        expect(reply.endsWith('\n')).toBe(true);
        expect(reply.indexOf('\n')).toBe(reply.length - 1);
        const parsed = parseCalcReply(reply);
        if (!parsed.ok) expect(parsed.code).toMatch(/^NK_CALC_[A-Z_]+$/);
      }),
      { numRuns: 3000 },
    );
  });
});
