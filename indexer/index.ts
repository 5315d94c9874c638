import type { Logger } from '../services/logger';
import type { Engine } from '../services/meili/engine';
import { loadLexicon } from '../services/lexicon';
import { DEFAULT_DEDUPE_OPTIONS, NearDuplicateGrouper, type DedupeInput, type GroupFields } from '../services/dedupe';
import { disagreeingGroups, type GroupClaim } from '../services/dedupe-repair';
import { OutletRegistry } from '../services/outlets';
import { rememberingSplitter, Segmenter } from '../services/text/segment';
import { loadThemesFile, ThemeTagger, THEMES_FILE, type ThemesFile } from '../services/themes';
import { runIndexer, type IndexerOptions, type IndexSummary } from './pipeline';

export interface IndexFilesOptions {
  engine: Engine;
  indexUid: string;
  files: readonly string[];
  batchSize?: number;
  log: Logger;
  /** The themes catalogue (data/themes.json by default). */
  themesFile?: string;
  /** Group near-duplicate stories (default true). */
  dedupe?: boolean;
  /** The index generation to stamp (pipeline.ts); by default the index's own. */
  generation?: number;
  /** Told how far the run is (pipeline.ts); the commands draw it (progress.ts). */
  onProgress?: IndexerOptions['onProgress'];
}

/** The indexer with the project's own data (outlets, lexicon, themes): what the CLI, `npm start` and tests run. */
export async function indexFiles(options: IndexFilesOptions): Promise<IndexSummary> {
  const lexicon = loadLexicon();
  const themes = loadThemesFile(options.themesFile ?? THEMES_FILE);
  const split = indexerWordSplitter(lexicon.words, themes);
  const tagger = new ThemeTagger(themes, split);

  let duplicates: NearDuplicateGrouper | undefined;
  let groupRepairs: GroupFields[] = [];
  if (options.dedupe ?? true) {
    duplicates = new NearDuplicateGrouper(split);
    const seeded = await seedDuplicates(duplicates, options.engine, options.indexUid);
    groupRepairs = seeded.repairs;
    if (seeded.count > 0) options.log.info({ seeded: seeded.count, remembered: duplicates.size, repairs: groupRepairs.length }, 'duplicate memory seeded from the index');
  }

  return runIndexer({
    engine: options.engine,
    indexUid: options.indexUid,
    files: options.files,
    lexicon: { dictionary: lexicon.words, synonyms: lexicon.synonyms },
    // The tagger has just split the same title and body: the remembering splitter answers wordCount from memory.
    context: { outlets: OutletRegistry.fromFile(), tagThemes: (article) => tagger.tag(article.title, article.body), words: split },
    duplicates,
    groupRepairs,
    batchSize: options.batchSize ?? 2_000,
    log: options.log,
    generation: options.generation,
    onProgress: options.onProgress,
  });
}

/**
 * The indexer's words: jieba with the lexicon, plus the theme terms jieba would split (经贸合作 -> 经贸/合作) so a term
 * is counted as one word. It remembers its last answers: tagger, duplicate grouper and wordCount split the same texts.
 */
export function indexerWordSplitter(lexiconWords: readonly string[], themes: ThemesFile): (text: string) => string[] {
  const plain = new Segmenter();
  const themeWords = ThemeTagger.chineseTerms(themes).filter((t) => plain.cut(t).length > 1);
  const segmenter = new Segmenter([...lexiconWords, ...themeWords]);
  return rememberingSplitter((text: string) => segmenter.words(text));
}

type StoredGroupDoc = DedupeInput & { dupGroup?: string; dupOf?: string[] };

/**
 * Loads what the index already holds into the duplicate memory, so that a later run adds members to existing groups
 * and a re-run keeps the group fields it had. Only the last `limit` documents (the engine's order, roughly the order
 * they were added) are read: the memory could not hold more (services/dedupe maxEntries), and a start-up re-index of
 * the sample into a large index must not read all of it. Groups whose stored copies disagree (a run died between a
 * batch and its group updates: services/dedupe-repair.ts) are made whole in the memory; `repairs` are the group
 * fields to write for their members.
 */
export async function seedDuplicates(
  grouper: NearDuplicateGrouper,
  engine: Engine,
  indexUid: string,
  limit = DEFAULT_DEDUPE_OPTIONS.maxEntries,
): Promise<{ count: number; repairs: GroupFields[] }> {
  let count = 0;
  const claims = new Map<string, GroupClaim>();
  const fields = ['id', 'title', 'body', 'timestamp', 'dupGroup', 'dupOf'];
  for await (const page of engine.documentPages<StoredGroupDoc>(indexUid, fields, limit)) {
    for (const doc of page) {
      const claim = { dupGroup: doc.dupGroup ?? doc.id, dupOf: doc.dupOf ?? [] };
      grouper.seed({ ...doc, timestamp: doc.timestamp ?? null, ...claim });
      claims.set(doc.id, claim);
      count += 1;
    }
  }
  const repairs = disagreeingGroups(claims).flatMap((ids) => grouper.regroup(ids));
  return { count, repairs };
}
