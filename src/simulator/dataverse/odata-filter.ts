/**
 * The OData `$filter` subset the Dataverse Web API simulator understands: comparisons,
 * `and`/`or`/`not`, parentheses, `contains`, `startswith`, `endswith`; string, number, boolean,
 * null and GUID literals.
 */

/** A row predicate compiled from a `$filter`. */
export type RowPredicate = (row: Record<string, unknown>) => boolean;

/** A `$filter` that could not be parsed; the message names the position. */
export class FilterSyntaxError extends Error {}

type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'guid'; value: string }
  | { kind: 'punct'; value: '(' | ')' | ',' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', value: ch });
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('Unterminated string literal in $filter.');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', value });
    } else if (GUID.test(text.slice(i))) {
      const value = GUID.exec(text.slice(i))![0];
      tokens.push({ kind: 'guid', value: value.toLowerCase() });
      i += value.length;
    } else if (/[-\d]/.test(ch) && /^-?\d+(\.\d+)?/.test(text.slice(i))) {
      const value = /^-?\d+(\.\d+)?/.exec(text.slice(i))![0];
      tokens.push({ kind: 'number', value: Number(value) });
      i += value.length;
    } else if (/[A-Za-z_@]/.test(ch)) {
      const value = /^[A-Za-z_@][\w@./]*/.exec(text.slice(i))![0];
      tokens.push({ kind: 'ident', value });
      i += value.length;
    } else {
      throw new FilterSyntaxError(`Unexpected character '${ch}' at position ${i} in $filter.`);
    }
  }
  return tokens;
}

type Operand = (row: Record<string, unknown>) => unknown;

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

function normalize(value: unknown): unknown {
  return typeof value === 'string' && GUID.test(value) && value.length === 36 ? value.toLowerCase() : value;
}

function compare(op: string, left: unknown, right: unknown): boolean {
  const a = normalize(left ?? null);
  const b = normalize(right ?? null);
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    default: {
      if (a === null || b === null) return false;
      const x = a as number | string;
      const y = b as number | string;
      if (op === 'gt') return x > y;
      if (op === 'ge') return x >= y;
      if (op === 'lt') return x < y;
      return x <= y;
    }
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): RowPredicate {
    const predicate = this.or();
    if (this.pos < this.tokens.length)
      throw new FilterSyntaxError('Unexpected text after the end of $filter.');
    return predicate;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'ident' && t.value.toLowerCase() === word;
  }

  private expectPunct(value: '(' | ')' | ','): void {
    const t = this.tokens[this.pos++];
    if (t?.kind !== 'punct' || t.value !== value)
      throw new FilterSyntaxError(`Expected '${value}' in $filter.`);
  }

  private or(): RowPredicate {
    let left = this.and();
    while (this.isWord('or')) {
      this.pos++;
      const a = left;
      const b = this.and();
      left = (row) => a(row) || b(row);
    }
    return left;
  }

  private and(): RowPredicate {
    let left = this.unary();
    while (this.isWord('and')) {
      this.pos++;
      const a = left;
      const b = this.unary();
      left = (row) => a(row) && b(row);
    }
    return left;
  }

  private unary(): RowPredicate {
    if (this.isWord('not')) {
      this.pos++;
      const inner = this.unary();
      return (row) => !inner(row);
    }
    const t = this.peek();
    if (t?.kind === 'punct' && t.value === '(') {
      this.pos++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    if (t?.kind === 'ident' && FUNCTIONS.has(t.value.toLowerCase())) return this.call();
    return this.comparison();
  }

  private call(): RowPredicate {
    const name = (this.tokens[this.pos++] as { value: string }).value.toLowerCase();
    this.expectPunct('(');
    const field = this.operand();
    this.expectPunct(',');
    const value = this.operand();
    this.expectPunct(')');
    return (row) => {
      const haystack = field(row);
      const needle = value(row);
      if (typeof haystack !== 'string' || typeof needle !== 'string') return false;
      const h = haystack.toLowerCase();
      const n = needle.toLowerCase();
      if (name === 'contains') return h.includes(n);
      if (name === 'startswith') return h.startsWith(n);
      return h.endsWith(n);
    };
  }

  private comparison(): RowPredicate {
    const left = this.operand();
    const op = this.tokens[this.pos++];
    if (op?.kind !== 'ident' || !COMPARISONS.has(op.value.toLowerCase())) {
      throw new FilterSyntaxError('Expected a comparison operator (eq, ne, gt, ge, lt, le) in $filter.');
    }
    const right = this.operand();
    const name = op.value.toLowerCase();
    return (row) => compare(name, left(row), right(row));
  }

  private operand(): Operand {
    const t = this.tokens[this.pos++];
    if (!t) throw new FilterSyntaxError('$filter ended too early.');
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'guid') return () => t.value;
    if (t.kind === 'ident') {
      const word = t.value.toLowerCase();
      if (word === 'true') return () => true;
      if (word === 'false') return () => false;
      if (word === 'null') return () => null;
      return (row) => row[t.value];
    }
    throw new FilterSyntaxError(`Unexpected '${t.value}' in $filter.`);
  }
}

/** Compiles a `$filter` expression; throws {@link FilterSyntaxError} when it is not valid. */
export function compileFilter(filter: string): RowPredicate {
  return new Parser(tokenize(filter)).parse();
}

/** The column names a `$filter` mentions (to validate them against the table). */
export function filterColumns(filter: string): string[] {
  const words = new Set(['and', 'or', 'not', 'true', 'false', 'null', ...COMPARISONS, ...FUNCTIONS]);
  return tokenize(filter)
    .filter(
      (t): t is { kind: 'ident'; value: string } => t.kind === 'ident' && !words.has(t.value.toLowerCase()),
    )
    .map((t) => t.value);
}
