import { readFileSync } from 'node:fs';
import { type ChoiceCsv, ChoiceCsvError, parseChoiceCsv } from '@matchloop/learning';
import { UserInputError } from '../user-input-error';

/** Reads a choice-log CSV, naming the file and line of whatever is wrong with it. */
export function readChoiceCsvFile(path: string): ChoiceCsv {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UserInputError(`cannot read ${path}: ${reason}`);
  }
  try {
    return parseChoiceCsv(text);
  } catch (error) {
    if (error instanceof ChoiceCsvError) throw new UserInputError(`${path}: ${error.message}`);
    throw error;
  }
}
