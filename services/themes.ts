import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from './paths';
import { toSimplified } from './text/normalize';

/**
 * Themes: a catalogue read from data/themes.json (editable without code changes) and a tagger that decides which
 * themes an article is about by counting the catalogue's signal terms on segmented words. Chinese and English terms
 * of one theme count alike, so an article gets the same theme whichever language its body is in.
 */

/** Display names of themes in both languages. */
export interface ThemeLabel {
  name: string;
  nameEn: string;
}

export const THEMES_FILE = path.join(DATA_DIR, 'themes.json');

const termSchema = z.union([
  z.string().trim().min(1),
  z.object({ term: z.string().trim().min(1), weight: z.number().positive().max(100) }),
]);

const themeSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'theme ids are lower-case letters, digits and hyphens'),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  description: z.string().optional(),
  terms: z.object({ zh: z.array(termSchema).default([]), en: z.array(termSchema).default([]) }),
  threshold: z.number().positive().optional(),
  /**
   * How many different terms must occur: a theme that needs two signals is not tagged on one alone (天津 alone is a
   * city, not the summit), unless a term whose weight reaches the threshold occurred (天津峰会).
   */
  minDistinctTerms: z.number().int().min(1).optional(),
});

export const themesFileSchema = z
  .object({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    scoring: z
      .object({
        titleWeight: z.number().min(0).default(3),
        bodyWeight: z.number().min(0).default(1),
        maxBodyCountPerTerm: z.number().int().min(1).default(3),
        threshold: z.number().positive().default(3),
      })
      .default({ titleWeight: 3, bodyWeight: 1, maxBodyCountPerTerm: 3, threshold: 3 }),
    themes: z.array(themeSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.themes.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: `duplicate theme id ${t.id}` });
      seen.add(t.id);
    });
  });

export type ThemesFile = z.output<typeof themesFileSchema>;
export type ThemeDefinition = ThemesFile['themes'][number];
export type ScoringRules = ThemesFile['scoring'];

export function parseThemesFile(json: unknown): ThemesFile {
  return themesFileSchema.parse(json);
}

export function loadThemesFile(file = THEMES_FILE): ThemesFile {
  return parseThemesFile(JSON.parse(readFileSync(file, 'utf8')));
}

export class ThemeCatalog {
  private readonly byId: Map<string, ThemeLabel>;

  constructor(themes: ReadonlyArray<{ id: string } & ThemeLabel>) {
    this.byId = new Map(themes.map((t) => [t.id, { name: t.name, nameEn: t.nameEn }]));
  }

  static fromFile(file = THEMES_FILE): ThemeCatalog {
    return new ThemeCatalog(loadThemesFile(file).themes);
  }

  /** An id the catalogue does not know (a theme given by a source file) labels itself. */
  label(id: string): ThemeLabel {
    return this.byId.get(id) ?? { name: id, nameEn: id };
  }
}

/** Turns text into the words terms are matched on (the indexer passes its jieba Segmenter). */
export type WordSplitter = (text: string) => string[];

/**
 * Folds an English word so that "summits", "Summit" and "SCO's" meet their term: lower case, possessive and plural
 * `s` dropped (not `-ies` -> `-y`: "securities" must not become "security"). Deliberately crude (no stemmer): terms and text go through the same fold, so it only has to be
 * consistent, and a miss costs one signal, not a wrong theme. Chinese words pass unchanged.
 */
export function foldWord(word: string): string {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w) || w.length <= 3) return w;
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

/** The words of a text as themes count them: traditional folded to simplified, possessives dropped, words folded. */
export function themeWords(split: WordSplitter, text: string): string[] {
  return split(toSimplified(text).replace(/['’]s\b/gi, '')).map(foldWord);
}

interface CompiledTerm {
  words: string[];
  weight: number;
}


interface CompiledTheme {
  id: string;
  threshold: number;
  minDistinctTerms: number;
  terms: CompiledTerm[];
}

/** How often the word sequence occurs in the words (non-overlapping matters little for short terms). */
export function countSequence(words: readonly string[], seq: readonly string[]): number {
  if (seq.length === 0 || seq.length > words.length) return 0;
  let n = 0;
  outer: for (let i = 0; i + seq.length <= words.length; i++) {
    for (let j = 0; j < seq.length; j++) if (words[i + j] !== seq[j]) continue outer;
    n += 1;
  }
  return n;
}

/**
 * Where each word of a text stands, so that every term of every theme is counted from the positions of its first
 * word instead of by a scan of the whole text per term (the catalogue has hundreds of terms; this runs per article).
 * Counts exactly what countSequence counts.
 */
export class WordPositions {
  private readonly at = new Map<string, number[]>();

  constructor(private readonly words: readonly string[]) {
    words.forEach((word, i) => {
      const list = this.at.get(word);
      if (list) list.push(i);
      else this.at.set(word, [i]);
    });
  }

  count(seq: readonly string[]): number {
    const starts = seq.length === 0 ? undefined : this.at.get(seq[0] as string);
    if (!starts) return 0;
    let n = 0;
    outer: for (const i of starts) {
      if (i + seq.length > this.words.length) break;
      for (let j = 1; j < seq.length; j++) if (this.words[i + j] !== seq[j]) continue outer;
      n += 1;
    }
    return n;
  }
}

export interface ThemeScore {
  id: string;
  score: number;
  /** Terms that occurred at least once (in title or body). */
  distinctTerms: number;
  tagged: boolean;
}

/**
 * Scores every theme of the catalogue on an article and keeps those at or above their threshold.
 *
 * score = Σ over the theme's terms of weight × (titleWeight × count in title + bodyWeight × min(count in body,
 * maxBodyCountPerTerm)). The cap stops one word repeated through a long body from tagging on its own; the threshold
 * (the theme's own or the file's default) is what keeps a passing mention from becoming a theme.
 */
export class ThemeTagger {
  private readonly themes: CompiledTheme[];

  private readonly scoring: ScoringRules;

  constructor(
    file: ThemesFile,
    private readonly split: WordSplitter,
  ) {
    this.scoring = file.scoring;
    this.themes = file.themes.map((t) => ({
      id: t.id,
      threshold: t.threshold ?? file.scoring.threshold,
      minDistinctTerms: t.minDistinctTerms ?? 1,
      terms: [...t.terms.zh, ...t.terms.en]
        .map((term) => (typeof term === 'string' ? { term, weight: 1 } : term))
        .map(({ term, weight }) => ({ words: themeWords(split, term), weight }))
        .filter((t) => t.words.length > 0),
    }));
  }

  scores(title: string, body: string): ThemeScore[] {
    const titleWords = new WordPositions(themeWords(this.split, title));
    const bodyWords = new WordPositions(themeWords(this.split, body));
    const { titleWeight, bodyWeight, maxBodyCountPerTerm } = this.scoring;
    return this.themes.map((theme) => {
      let score = 0;
      let distinctTerms = 0;
      let specific = false;
      for (const term of theme.terms) {
        const inTitle = titleWords.count(term.words);
        const inBody = Math.min(bodyWords.count(term.words), maxBodyCountPerTerm);
        if (inTitle + inBody > 0) distinctTerms += 1;
        const termScore = term.weight * (titleWeight * inTitle + bodyWeight * inBody);
        score += termScore;
        if (termScore > 0 && term.weight >= theme.threshold) specific = true;
      }
      // A term weighted at the threshold is specific enough to need no second signal.
      const tagged = score >= theme.threshold && (distinctTerms >= theme.minDistinctTerms || specific);
      return { id: theme.id, score, distinctTerms, tagged };
    });
  }

  /** Theme ids whose score reaches their threshold, sorted. */
  tag(title: string, body: string): string[] {
    return this.scores(title, body)
      .filter((s) => s.tagged)
      .map((s) => s.id)
      .sort();
  }

  /** Chinese terms, for the segmenter's dictionary so that a multi-character term is kept whole. */
  static chineseTerms(file: ThemesFile): string[] {
    return file.themes.flatMap((t) => t.terms.zh.map((term) => (typeof term === 'string' ? term : term.term)));
  }
}
