/** Where in a statement a semicolon was found that does not end it. */
export type SemicolonContext = 'comment' | 'string' | 'quoted identifier' | 'dollar-quoted body';

export interface MisplacedSemicolon {
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly within: SemicolonContext;
}

/** A character that continues a name, as PostgreSQL reads names: no string or body opens right after one. */
const NAME_PART = /[A-Za-z0-9_$]/;
/** Sticky: matched where the scan stands. */
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

/**
 * The semicolons of a SQL script that do not end a statement. On PostgreSQL, Prisma's driver adapter splits
 * a migration at every semicolon before running the pieces, so each of these cuts a statement apart there,
 * while PGlite, which parses the script itself, runs it whole. The script is read as PostgreSQL reads it:
 * line comments, block comments (which nest), strings (E'' ones with backslash escapes), quoted identifiers
 * and dollar-quoted bodies.
 */
export function misplacedSemicolons(sql: string): MisplacedSemicolon[] {
  const found: MisplacedSemicolon[] = [];
  let line = 1;
  let index = 0;
  while (index < sql.length) {
    const span = spanOpeningAt(sql, index);
    const end = span?.end ?? index + 1;
    for (; index < end; index++) {
      if (sql[index] === '\n') line++;
      else if (span && sql[index] === ';') found.push({ line, within: span.within });
    }
  }
  return found;
}

/** The comment, string, quoted identifier or body that opens at `index`, if one does, up to where it ends. */
function spanOpeningAt(sql: string, index: number): { end: number; within: SemicolonContext } | undefined {
  const character = sql[index];
  const next = sql[index + 1];
  if (character === '-' && next === '-') {
    const lineEnd = sql.indexOf('\n', index);
    return { end: lineEnd < 0 ? sql.length : lineEnd, within: 'comment' };
  }
  if (character === '/' && next === '*') return { end: blockCommentEnd(sql, index), within: 'comment' };
  if (character === "'") {
    const backslashEscapes = /[Ee]/.test(sql[index - 1] ?? '') && !NAME_PART.test(sql[index - 2] ?? '');
    return { end: quotedEnd(sql, index, "'", backslashEscapes), within: 'string' };
  }
  if (character === '"') return { end: quotedEnd(sql, index, '"', false), within: 'quoted identifier' };
  if (character === '$' && !NAME_PART.test(sql[index - 1] ?? '')) {
    DOLLAR_TAG.lastIndex = index;
    const tag = DOLLAR_TAG.exec(sql)?.[0];
    if (tag === undefined) return undefined;
    const close = sql.indexOf(tag, index + tag.length);
    return { end: close < 0 ? sql.length : close + tag.length, within: 'dollar-quoted body' };
  }
  return undefined;
}

/** Just past the end of the block comment opened at `start`, which may hold others. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  for (let index = start; index < sql.length - 1; index++) {
    if (sql[index] === '/' && sql[index + 1] === '*') {
      depth++;
      index++;
    } else if (sql[index] === '*' && sql[index + 1] === '/') {
      depth--;
      index++;
      if (depth === 0) return index + 1;
    }
  }
  return sql.length;
}

/** Just past the quote closing the one at `start`, a doubled quote (or, if allowed, a backslash) escaping. */
function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let index = start + 1; index < sql.length; index++) {
    if (backslashEscapes && sql[index] === '\\') index++;
    else if (sql[index] === quote) {
      if (sql[index + 1] !== quote) return index + 1;
      index++;
    }
  }
  return sql.length;
}
