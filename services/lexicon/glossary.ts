import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { toSimplified } from '../text/normalize';
import { numberVariants, phraseKey } from './english';
import { DATA_DIR } from './user-dictionary';

/**
 * The curated bilingual glossary (data/lexicon/glossary.tsv): the concepts a reader of this archive searches for,
 * each with every alias it goes by in Chinese and in English. It becomes the engine's `synonyms` (every alias finds
 * every other one, so 冷战思维 finds "Cold War mentality") and its Chinese aliases become dictionary words.
 */

export const GLOSSARY_FILE = path.join(DATA_DIR, 'lexicon', 'glossary.tsv');

/** The engine accepts at most this many synonyms for one term. */
export const ENGINE_MAX_SYNONYMS_PER_TERM = 50;

export interface Concept {
  /** Line in the glossary file, for messages. */
  line: number;
  /** Chinese aliases (simplified), preferred form first. */
  zh: string[];
  /** English aliases as written, preferred form first. */
  en: string[];
}

export interface Glossary {
  concepts: Concept[];
}

export class GlossaryError extends Error {
  override name = 'GlossaryError';
  constructor(readonly problems: string[]) {
    super(`Invalid glossary:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const zhAlias = z
  .string()
  .regex(/^\p{Script=Han}[\p{Script=Han}\p{N}·]*$/u, 'a Chinese alias is Chinese characters (and digits) only')
  .refine((s) => toSimplified(s) === s, {
    // Queries and documents are folded to simplified before the engine sees them, so a traditional alias never matches.
    message: 'is not simplified Chinese (traditional queries are folded to simplified before search)',
  });

const enAlias = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 '’.&+-]*$/, 'an English alias is Latin letters, digits, spaces and - \' . & + only')
  .refine((s) => !/\s{2,}/.test(s), { message: 'has repeated spaces' });

const rowSchema = z.object({
  zh: z.array(zhAlias).min(1, 'needs at least one Chinese alias'),
  en: z.array(enAlias).min(1, 'needs at least one English alias'),
});

function splitAliases(column: string): string[] {
  return column.split('|').map((a) => a.trim()).filter((a) => a.length > 0);
}

/**
 * Parses and validates the glossary text. Every problem is reported at once, each with its line number, so an
 * editor fixes them in one go: column count, script of each alias, traditional characters, an alias claimed by
 * two concepts (which would silently merge them in the engine), and the engine's limit of synonyms per term.
 */
export function parseGlossary(text: string, source = 'glossary.tsv'): Glossary {
  const problems: string[] = [];
  const concepts: Concept[] = [];
  const owner = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*/, '');
    if (!content.trim()) return;
    const columns = content.split('\t');
    if (columns.length !== 2) {
      problems.push(
        `${source}:${line}: expected 2 tab-separated columns (Chinese aliases, English aliases), found ${columns.length}` +
          (columns.length === 1 ? ' (was the tab turned into spaces?)' : ''),
      );
      return;
    }
    const parsed = rowSchema.safeParse({ zh: splitAliases(columns[0] ?? ''), en: splitAliases(columns[1] ?? '') });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [column, position] = issue.path;
        const value =
          typeof position === 'number' ? ` "${(column === 'zh' ? splitAliases(columns[0] ?? '') : splitAliases(columns[1] ?? ''))[position]}"` : '';
        problems.push(`${source}:${line}: ${String(column)} alias${value} ${issue.message}`);
      }
      return;
    }
    // "sister city | sister cities" is redundant (number variants are generated) but not wrong: keep the first.
    const seen = new Set<string>();
    const concept: Concept = {
      line,
      zh: parsed.data.zh.filter((a) => !seen.has(a) && seen.add(a)),
      en: parsed.data.en.filter((a) => !seen.has(phraseKey(a)) && seen.add(phraseKey(a))),
    };
    for (const key of seen) {
      const other = owner.get(key);
      if (other !== undefined) problems.push(`${source}:${line}: alias "${key}" is already used by the concept on line ${other}`);
      else owner.set(key, line);
    }
    const forms = conceptForms(concept);
    if (forms.length - 1 > ENGINE_MAX_SYNONYMS_PER_TERM) {
      problems.push(
        `${source}:${line}: ${forms.length} forms (aliases with their singular and plural) exceed the engine's ` +
          `${ENGINE_MAX_SYNONYMS_PER_TERM} synonyms per term; split the concept`,
      );
    }
    concepts.push(concept);
  });
  if (problems.length > 0) throw new GlossaryError(problems);
  if (concepts.length === 0) throw new GlossaryError([`${source}: no concepts`]);
  return { concepts };
}

export function loadGlossary(file = GLOSSARY_FILE): Glossary {
  return parseGlossary(readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
}

/** Every form of a concept as the engine compares it: Chinese aliases, English aliases lower-cased in both numbers. */
export function conceptForms(concept: Concept): string[] {
  return [...new Set([...concept.zh, ...concept.en.flatMap(numberVariants)])];
}

/**
 * The glossary in the engine's `synonyms` form: each form of a concept maps to all its other forms, so the relation
 * holds in every direction and between the aliases of one language too (SCO -> Shanghai Cooperation Organization).
 */
export function glossaryToSynonyms(glossary: Glossary): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  for (const concept of glossary.concepts) {
    const forms = conceptForms(concept);
    for (const form of forms) synonyms[form] = forms.filter((f) => f !== form);
  }
  return synonyms;
}

/** The Chinese aliases: words jieba and the engine's `dictionary` must keep whole. */
export function glossaryDictionaryWords(glossary: Glossary): string[] {
  return [...new Set(glossary.concepts.flatMap((c) => c.zh))];
}

export interface GlossaryMatch {
  concept: Concept;
  /** Index of the first query token the alias covers, and how many it covers. */
  start: number;
  length: number;
}

/**
 * Finds glossary aliases in a tokenised query, longest first, left to right. Chinese tokens are compared whole (the
 * segmenter keeps aliases whole); English phrases are compared by phraseKey, so case and number do not matter.
 */
export class GlossaryIndex {
  private readonly byKey = new Map<string, Concept>();
  /** Longest English alias in words, to bound the search. */
  private readonly maxWords: number;

  constructor(readonly glossary: Glossary) {
    let maxWords = 1;
    for (const concept of glossary.concepts) {
      for (const alias of concept.zh) this.byKey.set(alias, concept);
      for (const alias of concept.en) {
        // Hyphenated or not ("people-to-people" or "people to people"): queries are split on hyphens as the engine does.
        for (const key of new Set([phraseKey(alias), phraseKey(alias.replace(/-/g, ' '))])) {
          this.byKey.set(key, concept);
          maxWords = Math.max(maxWords, key.split(' ').length);
        }
      }
    }
    this.maxWords = maxWords;
  }

  /** The concept a single token or phrase names, if any. */
  lookup(phrase: string): Concept | undefined {
    return this.byKey.get(phrase) ?? this.byKey.get(phraseKey(phrase));
  }

  /** Matches over a token list (each token one Chinese word or one lower-cased English word). */
  match(tokens: readonly string[]): GlossaryMatch[] {
    const matches: GlossaryMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      let found: GlossaryMatch | undefined;
      for (let n = Math.min(this.maxWords, tokens.length - i); n >= 1 && !found; n--) {
        const slice = tokens.slice(i, i + n);
        const concept = n === 1 ? this.lookup(slice[0] ?? '') : this.byKey.get(phraseKey(slice.join(' ')));
        if (concept) found = { concept, start: i, length: n };
      }
      if (found) {
        matches.push(found);
        i += found.length;
      } else {
        i += 1;
      }
    }
    return matches;
  }
}
