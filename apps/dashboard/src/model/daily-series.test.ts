import { describe, expect, it } from 'vitest';
import { type DailyFigures, everyDayOfWindow } from './daily-series';

function day(date: string, sessions: number): DailyFigures {
  return {
    date,
    sessions,
    choices: sessions,
    conversionRate: 1,
    averageChosenRank: 1,
    averageSatisfaction: 5,
  };
}

const NOW = new Date('2025-11-27T10:00:00Z');

describe('the daily series', () => {
  it('lists every day of the window, quiet days without rates', () => {
    const days = everyDayOfWindow(
      [day('2025-11-22', 3), day('2025-11-25', 4)],
      new Date('2025-11-21T00:00:00Z'),
      NOW,
    );
    expect(days.map(({ date }) => date)).toEqual([
      '2025-11-21',
      '2025-11-22',
      '2025-11-23',
      '2025-11-24',
      '2025-11-25',
      '2025-11-26',
      '2025-11-27',
    ]);
    expect(days[0]).toEqual({
      date: '2025-11-21',
      sessions: 0,
      choices: 0,
      conversionRate: null,
      averageChosenRank: null,
      averageSatisfaction: null,
    });
    expect(days[1]).toEqual(day('2025-11-22', 3));
  });

  it('starts at the first day with sessions when the window is all time', () => {
    const days = everyDayOfWindow([day('2025-11-25', 1)], null, NOW);
    expect(days.map(({ date }) => date)).toEqual(['2025-11-25', '2025-11-26', '2025-11-27']);
  });

  it('is empty when the window has no sessions, so the charts can say so', () => {
    expect(everyDayOfWindow([], new Date('2025-11-21T00:00:00Z'), NOW)).toEqual([]);
  });
});
