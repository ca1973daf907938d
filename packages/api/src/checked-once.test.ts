import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkedOnce } from './checked-once';

const answerSchema = z.object({ share: z.number().min(0).max(1) });

describe('an output schema that checks a frozen answer once', () => {
  it('hands back the same checked copy of a frozen answer, without its stray keys', () => {
    const schema = checkedOnce(answerSchema);
    const answer = Object.freeze({ share: 0.4, internal: 'not for callers' });

    const first = schema.parse(answer);
    expect(first).toEqual({ share: 0.4 });
    expect(schema.parse(answer)).toBe(first);
  });

  it('checks an answer that is not frozen every time, so that a change to it is caught', () => {
    const schema = checkedOnce(answerSchema);
    const answer = { share: 0.4 };
    expect(schema.parse(answer)).toEqual({ share: 0.4 });

    answer.share = 7;
    expect(() => schema.parse(answer)).toThrow(/too_big/);
  });

  it('refuses a frozen answer that does not fit every time it is given', () => {
    const schema = checkedOnce(answerSchema);
    const answer = Object.freeze({ share: -1 });

    expect(() => schema.parse(answer)).toThrow(/too_small/);
    expect(() => schema.parse(answer)).toThrow(/too_small/);
  });

  it('leaves the schema it was made from checking every answer in full', () => {
    checkedOnce(answerSchema);
    const answer = Object.freeze({ share: 0.4 });

    expect(answerSchema.parse(answer)).not.toBe(answerSchema.parse(answer));
  });
});
