import type { Candidate } from '@matchloop/schemas';
import { describe, expect, it } from 'vitest';
import { type ChoiceBehaviour, decide, optionValue, positionEffect, type TasteShocks } from './choice';
import { DEFAULT_MARKET_CONFIG } from './market';
import { Random } from './random';
import { SEGMENT_PROFILES } from './segment-profiles';

const behaviour: ChoiceBehaviour = DEFAULT_MARKET_CONFIG.behaviour;
const weights = SEGMENT_PROFILES.quality_focused.trueWeights;

function option(id: string, level: number, quality: number): Candidate {
  return {
    manufacturerId: id,
    factors: {
      cost: level,
      quality,
      speed: level,
      proximity: level,
      capability: level,
      reliability: quality,
    },
  };
}

/** Four offers close enough in value that position and noise both matter. */
const shown = [option('a', 0.7, 0.6), option('b', 0.7, 0.7), option('c', 0.6, 0.8), option('d', 0.75, 0.65)];

function drawShocks(random: Random, options: readonly Candidate[]): TasteShocks {
  return { options: new Map(options.map((c) => [c.manufacturerId, random.gumbel()])), none: random.gumbel() };
}

/** The conditional logit's probabilities: options in shown order, then none. */
function logitProbabilities(): number[] {
  const utilities = [
    ...shown.map(
      (candidate, index) => optionValue(behaviour, weights, candidate) + positionEffect(behaviour, index + 1),
    ),
    behaviour.noneUtility,
  ];
  const largest = Math.max(...utilities);
  const exponentials = utilities.map((utility) => Math.exp(utility - largest));
  const total = exponentials.reduce((a, b) => a + b, 0);
  return exponentials.map((value) => value / total);
}

describe('customer choice', () => {
  it('picks each option, and none, as often as the conditional logit predicts', () => {
    const random = Random.seeded(17);
    const draws = 60_000;
    const counts = new Array<number>(shown.length + 1).fill(0);
    for (let n = 0; n < draws; n++) {
      const { chosenIndex } = decide(behaviour, weights, shown, drawShocks(random, shown));
      const alternative = chosenIndex ?? shown.length;
      counts[alternative] = (counts[alternative] as number) + 1;
    }
    const expected = logitProbabilities();
    expected.forEach((probability, index) => {
      const standardError = Math.sqrt((probability * (1 - probability)) / draws);
      expect(Math.abs((counts[index] as number) / draws - probability)).toBeLessThan(4 * standardError);
    });
    // The case is informative: every alternative, none included, takes a real share.
    for (const probability of expected) expect(probability).toBeGreaterThan(0.05);
  });

  it('favours the top of the list: the same offer is taken more often at rank 1 than at rank 4', () => {
    const shareOf = (manufacturerId: string, order: readonly Candidate[]) => {
      const random = Random.seeded(5);
      let taken = 0;
      for (let n = 0; n < 20_000; n++) {
        const { chosenIndex } = decide(behaviour, weights, order, drawShocks(random, order));
        if (chosenIndex !== null && order[chosenIndex]?.manufacturerId === manufacturerId) taken += 1;
      }
      return taken / 20_000;
    };
    const [a, b, c, d] = shown as [Candidate, Candidate, Candidate, Candidate];
    expect(shareOf('c', [c, a, b, d])).toBeGreaterThan(shareOf('c', [a, b, d, c]) + 0.05);
  });

  it('keeps a shock with its manufacturer whatever rank it is shown at', () => {
    const shocks = {
      options: new Map([
        ['a', 5],
        ['b', 0],
        ['c', 0],
        ['d', 0],
      ]),
      none: -10,
    };
    const forward = decide(behaviour, weights, shown, shocks);
    const reversed = decide(behaviour, weights, [...shown].reverse(), shocks);
    expect(shown[forward.chosenIndex as number]?.manufacturerId).toBe('a');
    expect([...shown].reverse()[reversed.chosenIndex as number]?.manufacturerId).toBe('a');
  });
});
