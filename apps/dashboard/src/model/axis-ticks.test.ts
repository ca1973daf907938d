import { describe, expect, it } from 'vitest';
import { axisTicks } from './axis-ticks';

describe('axis ticks', () => {
  it('run from the minimum to the first step above the data', () => {
    expect(axisTicks({ min: 1, step: 0.5 }, [1.2, 2.31, null])).toEqual([1, 1.5, 2, 2.5]);
    expect(axisTicks({ min: 0, step: 0.1 }, [0.3])).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('keep a fixed maximum when one is given', () => {
    expect(axisTicks({ min: 1, max: 5, step: 1 }, [3.2])).toEqual([1, 2, 3, 4, 5]);
  });

  it('span at least one step when there is no data', () => {
    expect(axisTicks({ min: 1, step: 0.5 }, [])).toEqual([1, 1.5]);
  });
});
