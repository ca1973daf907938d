import type { ChoiceObservation, ChoiceOption } from './choice-model/specification';

/**
 * The choice-log CSV that `matchloop import` and `matchloop evaluate` read (DESIGN §5):
 *
 *   session_id,customer_id,manufacturer_id,rank,chosen,<factor>,<factor>,...
 *
 * One row per option shown. Rows may come in any order; a session's options are put in rank order. A session
 * with no chosen row means the customer chose none. Factor values are scores in [0, 1], higher is better.
 * Parsing is all-or-nothing: the first bad row stops it with a `ChoiceCsvError` naming its line, so a caller
 * can never half-import a file.
 */

export const CHOICE_CSV_KEY_COLUMNS = [
  'session_id',
  'customer_id',
  'manufacturer_id',
  'rank',
  'chosen',
] as const;

export interface ChoiceCsvSession {
  readonly sessionId: string;
  readonly customerId: string;
  /** Manufacturer ids in presented order, aligned with `observation.options`. */
  readonly manufacturerIds: readonly string[];
  /** Factor values in the order of `ChoiceCsv.factorNames`. */
  readonly observation: ChoiceObservation;
  /** 1-based line of the session's first row, for messages about the session as a whole. */
  readonly firstLine: number;
}

export interface ChoiceCsv {
  /** The factor columns, in file order. */
  readonly factorNames: readonly string[];
  /** In order of first appearance in the file. */
  readonly sessions: readonly ChoiceCsvSession[];
}

export class ChoiceCsvError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'ChoiceCsvError';
  }
}

interface SessionDraft {
  readonly sessionId: string;
  readonly customerId: string;
  readonly firstLine: number;
  readonly rows: { manufacturerId: string; option: ChoiceOption; line: number }[];
  chosenLine: number | null;
  chosenManufacturerId: string | null;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseChoiceCsv(text: string): ChoiceCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new ChoiceCsvError(1, 'the file is empty; expected a header row');
  const header = splitCsvLine(lines[headerIndex] as string, headerIndex + 1).map((name) => name.trim());
  const factorNames = parseHeader(header, headerIndex + 1);

  const drafts = new Map<string, SessionDraft>();
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const text = lines[index] as string;
    if (text.trim() === '') continue;
    const line = index + 1;
    const fields = splitCsvLine(text, line);
    if (fields.length !== header.length) {
      throw new ChoiceCsvError(line, `expected ${header.length} columns, found ${fields.length}`);
    }
    const [sessionId, customerId, manufacturerId, rankText, chosenText] = fields.map((field) =>
      field.trim(),
    ) as [string, string, string, string, string];
    if (sessionId === '') throw new ChoiceCsvError(line, 'session_id is empty');
    if (customerId === '') throw new ChoiceCsvError(line, 'customer_id is empty');
    if (manufacturerId === '') throw new ChoiceCsvError(line, 'manufacturer_id is empty');
    const rank = Number(rankText);
    if (!/^\d+$/.test(rankText) || rank < 1) {
      throw new ChoiceCsvError(line, `rank must be a positive integer, got "${rankText}"`);
    }
    if (chosenText !== '0' && chosenText !== '1') {
      throw new ChoiceCsvError(line, `chosen must be 0 or 1, got "${chosenText}"`);
    }
    const factors = factorNames.map((name, k) => {
      const raw = (fields[CHOICE_CSV_KEY_COLUMNS.length + k] as string).trim();
      const value = Number(raw);
      if (!DECIMAL.test(raw) || value < 0 || value > 1) {
        throw new ChoiceCsvError(line, `${name} must be a number in [0, 1], got "${raw}"`);
      }
      return value;
    });

    let draft = drafts.get(sessionId);
    if (draft === undefined) {
      draft = {
        sessionId,
        customerId,
        firstLine: line,
        rows: [],
        chosenLine: null,
        chosenManufacturerId: null,
      };
      drafts.set(sessionId, draft);
    } else if (draft.customerId !== customerId) {
      throw new ChoiceCsvError(
        line,
        `session ${sessionId} belongs to customer ${draft.customerId} (line ${draft.firstLine}), not ${customerId}`,
      );
    }
    for (const row of draft.rows) {
      if (row.manufacturerId === manufacturerId) {
        throw new ChoiceCsvError(
          line,
          `session ${sessionId} already shows ${manufacturerId} (line ${row.line})`,
        );
      }
      if (row.option.rank === rank) {
        throw new ChoiceCsvError(line, `session ${sessionId} already has rank ${rank} (line ${row.line})`);
      }
    }
    if (chosenText === '1') {
      if (draft.chosenLine !== null) {
        throw new ChoiceCsvError(
          line,
          `session ${sessionId} already has a chosen row (line ${draft.chosenLine})`,
        );
      }
      draft.chosenLine = line;
      draft.chosenManufacturerId = manufacturerId;
    }
    draft.rows.push({ manufacturerId, option: { factors, rank }, line });
  }
  if (drafts.size === 0) throw new ChoiceCsvError(headerIndex + 1, 'the file has a header but no data rows');

  // Whether "none" was on offer is a property of the study, not of one session: if anyone walked away,
  // everyone could have.
  const noneAvailable = [...drafts.values()].some((draft) => draft.chosenLine === null);
  const sessions = [...drafts.values()].map((draft): ChoiceCsvSession => {
    const rows = [...draft.rows].sort((a, b) => a.option.rank - b.option.rank);
    const chosenIndex = rows.findIndex((row) => row.manufacturerId === draft.chosenManufacturerId);
    return {
      sessionId: draft.sessionId,
      customerId: draft.customerId,
      manufacturerIds: rows.map((row) => row.manufacturerId),
      observation: {
        options: rows.map((row) => row.option),
        chosenIndex: chosenIndex < 0 ? null : chosenIndex,
        noneAvailable,
      },
      firstLine: draft.firstLine,
    };
  });
  return { factorNames, sessions };
}

function parseHeader(header: readonly string[], line: number): string[] {
  CHOICE_CSV_KEY_COLUMNS.forEach((expected, index) => {
    if (header[index]?.toLowerCase() !== expected) {
      throw new ChoiceCsvError(
        line,
        `column ${index + 1} must be ${expected}, found "${header[index] ?? ''}" ` +
          `(expected header: ${CHOICE_CSV_KEY_COLUMNS.join(',')},<factor columns>)`,
      );
    }
  });
  const factorNames = header.slice(CHOICE_CSV_KEY_COLUMNS.length);
  if (factorNames.length === 0) throw new ChoiceCsvError(line, 'no factor columns after "chosen"');
  const seen = new Set<string>();
  for (const name of factorNames) {
    if (name === '') throw new ChoiceCsvError(line, 'a factor column has an empty name');
    if (seen.has(name)) throw new ChoiceCsvError(line, `factor column "${name}" appears twice`);
    seen.add(name);
  }
  return factorNames;
}

/** Splits one CSV record, honouring double-quoted fields with "" escapes (records do not span lines). */
function splitCsvLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i] as string;
    if (quoted) {
      if (character !== '"') field += character;
      else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(field);
      field = '';
    } else field += character;
  }
  if (quoted) throw new ChoiceCsvError(line, 'a quoted field is not closed');
  fields.push(field);
  return fields;
}
