/**
 * Prints what the lexicon costs and contains: glossary size, engine settings it produces, and the CC-CEDICT
 * fallback's load time and retained memory. Run with `node --expose-gc --import tsx scripts/lexicon-stats.ts`
 * (without --expose-gc the memory figures include garbage not yet collected).
 */
import { CrossLanguageDictionary, buildPackedInChildProcess, loadCrossLanguageDictionary } from '../services/lexicon/cedict';
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

  // First the way a server builds it (getCrossLanguageDictionary): in a child process, this one only reading it back.
  gc?.();
  gc?.();
  const beforeChild = process.memoryUsage();
  const t0 = performance.now();
  const fromChild = new CrossLanguageDictionary(buildPackedInChildProcess());
  const childMs = performance.now() - t0;
  // Twice: the child's output buffer is only released on the second collection.
  gc?.();
  gc?.();
  const afterChild = process.memoryUsage();
  console.log(
    `CC-CEDICT via a child process (as servers build it): ${fromChild.size.headwords} headwords in ${childMs.toFixed(0)} ms; ` +
      `retained heap +${mb(afterChild.heapUsed - beforeChild.heapUsed)}, array buffers +${mb(afterChild.arrayBuffers - beforeChild.arrayBuffers)}, ` +
      `RSS +${mb(afterChild.rss - beforeChild.rss)}, process RSS ${mb(afterChild.rss)}`,
  );

  // Then in this process, which shows what the build itself costs.
  gc?.();
  const before = process.memoryUsage();
  const { dictionary, stats } = loadCrossLanguageDictionary();
  gc?.();
  const after = process.memoryUsage();
  console.log(
    `CC-CEDICT: ${dictionary.size.headwords} Chinese headwords, ${dictionary.size.englishKeys} English keys, ` +
      `built in this process in ${stats.ms.toFixed(0)} ms (${stats.cpuMs.toFixed(0)} ms CPU)`,
  );
  console.log(
    `retained ${gc ? '' : '(no --expose-gc: includes garbage) '}heap +${mb(after.heapUsed - before.heapUsed)}, ` +
      `RSS +${mb(after.rss - before.rss)} (peak during build +${stats.rssDeltaMb.toFixed(1)} MB), ` +
      `process RSS ${mb(after.rss)}`,
  );
}

main();
