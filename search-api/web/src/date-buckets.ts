import type { DateBucket, DateInterval } from './schema';

/**
 * Calendar arithmetic for the date histogram. Bucket values are Beijing-time calendar days (`YYYY-MM-DD`) or months
 * (`YYYY-MM`), so they are handled as plain calendar dates in UTC: no time zone can shift a day here.
 */

export interface Bar {
  value: string;
  label: string;
  count: number;
  /** Inclusive day range the bar stands for: what clicking it filters on. */
  from: string;
  to: string;
}

/** The longest run of bars drawn; past this, gaps are not filled (the API switches to months long before). */
const MAX_BARS = 400;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})(?:-\d{2})?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoDay(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function isValidDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return isoDay(d) === value;
}

/** The inclusive day range of a bucket; null when the value is not a day or month the page understands. */
export function bucketRange(value: string, interval: DateInterval): { from: string; to: string } | null {
  if (interval === 'day') return isValidDay(value) ? { from: value, to: value } : null;
  const m = MONTH_RE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  const last = new Date(Date.UTC(year, month, 0)); // day 0 of the next month is the last day of this one
  return { from: `${m[1]}-${m[2]}-01`, to: isoDay(last) };
}

function nextValue(value: string, interval: DateInterval): string {
  if (interval === 'day') {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    return isoDay(new Date(Date.UTC(y, m - 1, d + 1)));
  }
  const [y, m] = value.split('-').map(Number) as [number, number];
  return m === 12 ? `${pad(y + 1, 4)}-01` : `${pad(y, 4)}-${pad(m + 1)}`;
}

/**
 * Bars for the histogram, in time order, with empty days (or months) between the first and last bucket filled in
 * with zero so that the bars' spacing is time. Buckets the page cannot read are dropped.
 */
export function toBars(buckets: readonly DateBucket[], interval: DateInterval): Bar[] {
  const known = new Map<string, DateBucket>();
  for (const b of buckets) {
    const range = bucketRange(b.value, interval);
    if (range) known.set(interval === 'day' ? b.value : b.value.slice(0, 7), b);
  }
  const keys = [...known.keys()].sort();
  const first = keys[0];
  const last = keys[keys.length - 1];
  if (first === undefined || last === undefined) return [];

  const bar = (value: string): Bar => {
    const b = known.get(value);
    const range = bucketRange(value, interval) as { from: string; to: string };
    return { value, label: b?.label ?? value, count: b?.count ?? 0, ...range };
  };
  const bars: Bar[] = [];
  for (let v = first; bars.length < MAX_BARS; v = nextValue(v, interval)) {
    bars.push(bar(v));
    if (v >= last) return bars;
  }
  // Too long a span to draw every day: show only the buckets that have articles.
  return keys.map(bar);
}

/** Whether a bar overlaps the selected inclusive range (an open end reaches to the edge). */
export function barSelected(bar: Bar, from: string | null, to: string | null): boolean {
  if (!from && !to) return false;
  return (!from || bar.to >= from) && (!to || bar.from <= to);
}
