import { describe, expect, it } from 'vitest';
import { ChoiceCsvError, parseChoiceCsv } from './choice-csv';

const header = 'session_id,customer_id,manufacturer_id,rank,chosen,cost,quality';

function parseError(text: string): ChoiceCsvError {
  try {
    parseChoiceCsv(text);
  } catch (error) {
    if (error instanceof ChoiceCsvError) return error;
    throw error;
  }
  throw new Error('expected the CSV to be rejected');
}

describe('parseChoiceCsv', () => {
  it('groups rows by session in any order and puts options in rank order', () => {
    const csv = parseChoiceCsv(
      [
        header,
        's1,c1,m2,2,1,0.1,0.9',
        's2,c2,m1,1,0,0.5,0.5',
        's1,c1,m1,1,0,0.8,0.2',
        '"s2",c2,"m,3",2,0,1,0',
        '',
      ].join('\r\n'),
    );
    expect(csv.factorNames).toEqual(['cost', 'quality']);
    expect(csv.sessions).toEqual([
      {
        sessionId: 's1',
        customerId: 'c1',
        manufacturerIds: ['m1', 'm2'],
        observation: {
          options: [
            { factors: [0.8, 0.2], rank: 1 },
            { factors: [0.1, 0.9], rank: 2 },
          ],
          chosenIndex: 1,
          noneAvailable: true,
        },
        firstLine: 2,
      },
      {
        sessionId: 's2',
        customerId: 'c2',
        manufacturerIds: ['m1', 'm,3'],
        observation: {
          options: [
            { factors: [0.5, 0.5], rank: 1 },
            { factors: [1, 0], rank: 2 },
          ],
          chosenIndex: null,
          noneAvailable: true,
        },
        firstLine: 3,
      },
    ]);
  });

  it('treats a study where everyone chose as forced choice', () => {
    const csv = parseChoiceCsv(`${header}\ns1,c1,m1,1,1,0.8,0.2\ns1,c1,m2,2,0,0.1,0.9\n`);
    expect(csv.sessions[0]?.observation.noneAvailable).toBe(false);
  });

  it.each([
    ['', 1, 'the file is empty'],
    [
      'session,customer_id,manufacturer_id,rank,chosen,cost',
      1,
      'column 1 must be session_id, found "session"',
    ],
    ['session_id,customer_id,manufacturer_id,rank,chosen', 1, 'no factor columns after "chosen"'],
    [`${header},cost`, 1, 'factor column "cost" appears twice'],
    [header, 1, 'no data rows'],
    [`${header}\ns1,c1,m1,1,1,0.5`, 2, 'expected 7 columns, found 6'],
    [`${header}\ns1,c1,m1,0,1,0.5,0.5`, 2, 'rank must be a positive integer, got "0"'],
    [`${header}\ns1,c1,m1,1.5,1,0.5,0.5`, 2, 'rank must be a positive integer'],
    [`${header}\ns1,c1,m1,1,yes,0.5,0.5`, 2, 'chosen must be 0 or 1, got "yes"'],
    [`${header}\ns1,c1,m1,1,1,1.5,0.5`, 2, 'cost must be a number in [0, 1], got "1.5"'],
    [`${header}\ns1,c1,m1,1,1,0.5,`, 2, 'quality must be a number in [0, 1], got ""'],
    [`${header}\ns1,c1,m1,1,1,0x1,0.5`, 2, 'cost must be a number in [0, 1], got "0x1"'],
    [`${header}\n,c1,m1,1,1,0.5,0.5`, 2, 'session_id is empty'],
    [
      `${header}\ns1,c1,m1,1,1,0.5,0.5\n\ns1,c2,m2,2,0,0.5,0.5`,
      4,
      'session s1 belongs to customer c1 (line 2), not c2',
    ],
    [`${header}\ns1,c1,m1,1,1,0.5,0.5\ns1,c1,m1,2,0,0.5,0.5`, 3, 'session s1 already shows m1 (line 2)'],
    [`${header}\ns1,c1,m1,1,1,0.5,0.5\ns1,c1,m2,1,0,0.5,0.5`, 3, 'session s1 already has rank 1 (line 2)'],
    [
      `${header}\ns1,c1,m1,1,1,0.5,0.5\ns1,c1,m2,2,1,0.5,0.5`,
      3,
      'session s1 already has a chosen row (line 2)',
    ],
    [`${header}\ns1,"c1,m1,1,1,0.5,0.5`, 2, 'a quoted field is not closed'],
  ])('rejects %j at line %i', (text, line, message) => {
    const error = parseError(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`line ${line}: `);
    expect(error.message).toContain(message);
  });
});
