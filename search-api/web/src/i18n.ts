import type { UiLang } from './url-state';

/**
 * Interface strings in both languages. Names of outlets, themes and languages are not here: the API sends `label`
 * and `labelEn` with every value, so the data file stays the one place they are edited.
 */

const zh = {
  appName: '新闻检索',
  appTagline: '中英双语新闻搜索',
  skipToResults: '跳到搜索结果',
  searchLabel: '搜索新闻',
  searchPlaceholder: '输入关键词，如：上海精神、SCO summit',
  searchButton: '搜索',
  uiLanguage: '界面语言',
  filters: '筛选',
  filtersWithCount: '筛选（{n}）',
  closeFilters: '关闭筛选',
  showResults: '查看结果',
  facetOutlet: '媒体',
  facetTheme: '主题',
  facetLang: '语言',
  facetDate: '发布日期',
  showMore: '显示更多（{n}）',
  showLess: '收起',
  noValues: '无可选项',
  dateFrom: '起始日期',
  dateTo: '截止日期',
  dateHistogram: '按{interval}分布的文章数，点击或拖动选择日期范围',
  intervalDay: '日',
  intervalMonth: '月',
  bucketDay: '{label}：{count} 篇',
  bucketOne: '{label}：1 篇',
  clearDates: '清除日期',
  activeFilters: '已选筛选条件',
  removeFilter: '移除筛选条件：{label}',
  clearAll: '全部清除',
  sortLabel: '排序',
  sortRelevance: '相关度',
  sortNewest: '最新',
  sortOldest: '最早',
  collapseLabel: '合并相似报道',
  crossAlso: '也搜索了：',
  crossTurnOff: '只搜原文',
  crossIsOff: '只搜索了原文。',
  crossTurnOn: '同时搜索中英文',
  summary: '共 {total} 条结果',
  summaryOne: '共 {total} 条结果',
  summaryAtLeast: '至少 {total} 条结果',
  summaryTook: '（用时 {ms} 毫秒）',
  summaryQuery: '“{q}”',
  loading: '正在搜索…',
  noResultsTitle: '没有找到相关结果',
  noResultsHint: '试试更短或更常见的关键词，换用中文或英文表达，或减少筛选条件。',
  noResultsHintNoFilters: '试试更短或更常见的关键词，或换用中文或英文表达。',
  clearFiltersAction: '清除所有筛选条件',
  unavailableTitle: '搜索服务暂时不可用',
  unavailableBody: '搜索引擎没有响应，请稍后重试。',
  networkTitle: '无法连接到服务器',
  networkBody: '请检查网络连接后重试。',
  badInputTitle: '搜索条件有误',
  badInputField: '参数“{field}”无效：{message}',
  badInputFix: '移除该条件',
  unexpectedTitle: '出现了意外错误',
  unexpectedBody: '服务器的响应无法识别（{message}）。',
  retry: '重试',
  similarReports: '另有 {n} 篇相似报道',
  similarOne: '另有 1 篇相似报道',
  hideSimilar: '收起相似报道',
  similarLoading: '正在加载…',
  similarFailed: '相似报道加载失败。',
  publishedAt: '北京时间 {date}',
  dateUnknown: '日期不详',
  themes: '主题',
  openOriginal: '查看原文',
  pagination: '分页',
  prevPage: '上一页',
  nextPage: '下一页',
  pageN: '第 {n} 页',
  results: '搜索结果',
  footer: '数据来源：新闻聚合样本。时间均为北京时间。',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appName: 'News Search',
  appTagline: 'Chinese–English news search',
  skipToResults: 'Skip to results',
  searchLabel: 'Search news',
  searchPlaceholder: 'Search, e.g. 上海精神 or SCO summit',
  searchButton: 'Search',
  uiLanguage: 'Interface language',
  filters: 'Filters',
  filtersWithCount: 'Filters ({n})',
  closeFilters: 'Close filters',
  showResults: 'Show results',
  facetOutlet: 'Outlet',
  facetTheme: 'Theme',
  facetLang: 'Language',
  facetDate: 'Date',
  showMore: 'Show more ({n})',
  showLess: 'Show less',
  noValues: 'Nothing to choose',
  dateFrom: 'From',
  dateTo: 'To',
  dateHistogram: 'Articles per {interval}; click or drag to choose a date range',
  intervalDay: 'day',
  intervalMonth: 'month',
  bucketDay: '{label}: {count} articles',
  bucketOne: '{label}: 1 article',
  clearDates: 'Clear dates',
  activeFilters: 'Active filters',
  removeFilter: 'Remove filter: {label}',
  clearAll: 'Clear all',
  sortLabel: 'Sort',
  sortRelevance: 'Relevance',
  sortNewest: 'Newest',
  sortOldest: 'Oldest',
  collapseLabel: 'Collapse similar reports',
  crossAlso: 'Also searched: ',
  crossTurnOff: 'Search as typed only',
  crossIsOff: 'Searched as typed only.',
  crossTurnOn: 'Search both languages',
  summary: '{total} results',
  summaryOne: '{total} result',
  summaryAtLeast: 'At least {total} results',
  summaryTook: ' ({ms} ms)',
  summaryQuery: 'for “{q}”',
  loading: 'Searching…',
  noResultsTitle: 'No results found',
  noResultsHint: 'Try shorter or more common words, the Chinese or English term, or fewer filters.',
  noResultsHintNoFilters: 'Try shorter or more common words, or the Chinese or English term.',
  clearFiltersAction: 'Clear all filters',
  unavailableTitle: 'Search is temporarily unavailable',
  unavailableBody: 'The search engine is not answering. Please try again in a moment.',
  networkTitle: 'Cannot reach the server',
  networkBody: 'Check your connection and try again.',
  badInputTitle: 'Something in the search is invalid',
  badInputField: 'Parameter “{field}” is invalid: {message}',
  badInputFix: 'Remove it',
  unexpectedTitle: 'Something went wrong',
  unexpectedBody: 'The server’s answer was not understood ({message}).',
  retry: 'Retry',
  similarReports: '{n} similar reports',
  similarOne: '1 similar report',
  hideSimilar: 'Hide similar reports',
  similarLoading: 'Loading…',
  similarFailed: 'Could not load the similar reports.',
  publishedAt: '{date} Beijing time',
  dateUnknown: 'Date unknown',
  themes: 'Themes',
  openOriginal: 'Original article',
  pagination: 'Pagination',
  prevPage: 'Previous',
  nextPage: 'Next',
  pageN: 'Page {n}',
  results: 'Search results',
  footer: 'Source: news aggregation sample. All times are Beijing time.',
};

const MESSAGES: Record<UiLang, Record<MessageKey, string>> = { zh, en };

/** `{name}` placeholders are filled from params; a missing param leaves the placeholder visible rather than "undefined". */
export function t(lang: UiLang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** English "1 results" reads wrong: the `one` message is used when n is 1 (Chinese has the same text in both). */
export function tn(lang: UiLang, n: number, one: MessageKey, many: MessageKey, params: Record<string, string | number> = {}): string {
  return t(lang, n === 1 ? one : many, params);
}

/** Picks the display name of an API value (outlet, theme, language) in the interface language. */
export function labelOf(lang: UiLang, v: { label: string; labelEn: string }): string {
  return lang === 'en' ? v.labelEn : v.label;
}

/**
 * The language of a piece of article text, for its `lang` attribute: Han characters make it Chinese (so the browser
 * picks simplified-Chinese glyphs even in the English interface), Latin letters alone make it English.
 */
export function textLang(text: string): 'zh-CN' | 'en' | null {
  if (/\p{Script=Han}/u.test(text)) return 'zh-CN';
  return /[A-Za-z]/.test(text) ? 'en' : null;
}

export function htmlLang(lang: UiLang): string {
  return lang === 'en' ? 'en' : 'zh-CN';
}

export function formatNumber(lang: UiLang, n: number): string {
  return new Intl.NumberFormat(htmlLang(lang)).format(n);
}

/**
 * Publication time in Beijing time whatever the reader's zone, as the sources date them.
 * Returns null for a missing or unparsable date.
 */
export function formatPublished(lang: UiLang, iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: lang === 'en' ? 'short' : 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}
