/**
 * Prints what the lexicon costs and contains: glossary size, engine settings it produces, and the CC-CEDICT
 * fallback's load time and retained memory. Run with `node --expose-gc --import tsx scripts/lexicon-stats.ts`
 * (without --expose-gc the memory figures include garbage not yet collected).
 */
import { loadCrossLanguageDictionary } from '../services/lexicon/cedict';
import { loadGlossary, loadLexicon } from '../services/lexicon';

const gc = (globalThis as { gc?: () => void }).gc;

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function main(): void {
  const glossary = loadGlossary();
  const lexicon = loadLexicon(glossary);
  const values = Object.values(lexicon.synonyms);
  console.log(`glossary: ${glossary.concepts.length} concepts`);
  console.log(`engine dictionary: ${lexicon.words.length} words (${lexicon.compounds.length} compounds left out)`);
  console.log(
    `engine synonyms: ${values.length} terms, ${values.reduce((n, v) => n + v.length, 0)} pairs, ` +
      `at most ${Math.max(...values.map((v) => v.length))} per term`,
  );

  gc?.();
  const before = process.memoryUsage();
  const { dictionary, stats } = loadCrossLanguageDictionary();
  gc?.();
  const after = process.memoryUsage();
  console.log(
    `CC-CEDICT: ${dictionary.size.headwords} Chinese headwords, ${dictionary.size.englishKeys} English keys, ` +
      `built in ${stats.ms.toFixed(0)} ms (${stats.cpuMs.toFixed(0)} ms CPU)`,
  );
  console.log(
    `retained ${gc ? '' : '(no --expose-gc: includes garbage) '}heap +${mb(after.heapUsed - before.heapUsed)}, ` +
      `RSS +${mb(after.rss - before.rss)} (peak during build +${stats.rssDeltaMb.toFixed(1)} MB), ` +
      `process RSS ${mb(after.rss)}`,
  );
}

main();
