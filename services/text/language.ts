import type { Lang } from '../article';

const HAN = /\p{Script=Han}/gu;
const LATIN = /[A-Za-z]/g;

/**
 * Tells Chinese from English by script. One Han character carries about as much as five Latin letters (an average
 * English word), so text is Chinese when Han characters outweigh Latin words.
 */
export function detectLanguage(text: string): Lang {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (han === 0 && latin === 0) return 'zh';
  return han * 5 >= latin ? 'zh' : 'en';
}
