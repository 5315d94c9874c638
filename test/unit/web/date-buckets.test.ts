import { barSelected, bucketRange, isValidDay, toBars } from '../../../search-api/web/src/date-buckets';

describe('date buckets', () => {
  it('gives a day bucket its own day and a month bucket its first and last day', () => {
    expect(bucketRange('2025-08-29', 'day')).toEqual({ from: '2025-08-29', to: '2025-08-29' });
    expect(bucketRange('2025-08', 'month')).toEqual({ from: '2025-08-01', to: '2025-08-31' });
    expect(bucketRange('2024-02', 'month')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(bucketRange('2025-02-01', 'month')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
  });

  it('refuses values it cannot read', () => {
    expect(bucketRange('2025-02-30', 'day')).toBeNull();
    expect(bucketRange('2025-13', 'month')).toBeNull();
    expect(bucketRange('unknown', 'day')).toBeNull();
    expect(isValidDay('2025-8-1')).toBe(false);
  });

  it('fills empty days between the first and last bucket so spacing is time', () => {
    const bars = toBars(
      [
        { value: '2025-08-31', label: '2025-08-31', count: 2 },
        { value: '2025-08-28', label: '2025-08-28', count: 3 },
      ],
      'day',
    );
    expect(bars.map((b) => [b.value, b.count])).toEqual([
      ['2025-08-28', 3],
      ['2025-08-29', 0],
      ['2025-08-30', 0],
      ['2025-08-31', 2],
    ]);
  });

  it('fills months across a year boundary', () => {
    const bars = toBars(
      [
        { value: '2022-11', count: 5 },
        { value: '2023-02', count: 1 },
      ],
      'month',
    );
    expect(bars.map((b) => `${b.value}:${b.count}:${b.from}..${b.to}`)).toEqual([
      '2022-11:5:2022-11-01..2022-11-30',
      '2022-12:0:2022-12-01..2022-12-31',
      '2023-01:0:2023-01-01..2023-01-31',
      '2023-02:1:2023-02-01..2023-02-28',
    ]);
  });

  it('draws only the buckets with articles when the span is too long to fill', () => {
    const bars = toBars(
      [
        { value: '1987-02', count: 4 },
        { value: '2026-01', count: 7 },
      ],
      'month',
    );
    expect(bars.map((b) => b.value)).toEqual(['1987-02', '2026-01']);
  });

  it('returns no bars for no buckets and drops unreadable ones', () => {
    expect(toBars([], 'day')).toEqual([]);
    expect(toBars([{ value: 'n/a', count: 1 }], 'day')).toEqual([]);
  });

  it('marks bars that overlap the chosen range, open ends included', () => {
    const [aug] = toBars([{ value: '2025-08', count: 1 }], 'month');
    if (!aug) throw new Error('no bar');
    expect(barSelected(aug, null, null)).toBe(false);
    expect(barSelected(aug, '2025-08-31', null)).toBe(true);
    expect(barSelected(aug, '2025-09-01', null)).toBe(false);
    expect(barSelected(aug, null, '2025-07-31')).toBe(false);
    expect(barSelected(aug, '2025-07-15', '2025-08-01')).toBe(true);
  });
});
