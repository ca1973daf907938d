import { z } from 'zod';

/** A UTF-16 surrogate not paired with its other half: it has no UTF-8 form. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/**
 * Whether the database can store a string exactly as sent. PostgreSQL refuses the NUL character in text and
 * JSON alike, and an unpaired surrogate has no UTF-8 form: either would fail the write, or change the text.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\0') && !UNPAIRED_SURROGATE.test(text);
}

export const UNSTORABLE_TEXT_MESSAGE = 'Must be Unicode text without NUL characters or unpaired surrogates';

/** Text as the contract takes it: trimmed, between `min` and `max` characters, and storable as sent. */
export function textSchema({ min = 0, max }: { min?: number; max: number }) {
  return z.string().trim().min(min).max(max).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
}
