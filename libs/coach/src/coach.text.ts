/** Text preparation for the coach: quote normalisation, sentences and reported speech. */

export interface Segment {
  readonly start: number;
  readonly end: number;
}

const CURLY_SINGLE = /[\u2018\u2019\u201A\u201B\u02BC\u2032]/g;
const CURLY_DOUBLE = /[\u201C\u201D\u201E\u201F\u2033]/g;

/**
 * Straightens curly quotes and apostrophes (§6.2). Each replacement is one UTF-16
 * code unit for one, so every offset in the result is an offset in the input.
 */
export function normaliseQuotes(text: string): string {
  return text.replace(CURLY_SINGLE, "'").replace(CURLY_DOUBLE, '"');
}

/** A sentence ends at . ! ? or … (plus closing quotes or brackets) before whitespace or the end, or at a line break. */
const SENTENCE_END = /[.!?\u2026]+["')\]]*(?=\s|$)|\n+/g;

/** Sentences with their offsets, leading whitespace skipped, empty ones dropped. */
export function splitSentences(text: string): Segment[] {
  const sentences: Segment[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  const push = (from: number, to: number) => {
    let begin = from;
    while (begin < to && /\s/.test(text[begin])) begin += 1;
    if (begin < to) sentences.push({ start: begin, end: to });
  };
  for (let match = SENTENCE_END.exec(text); match !== null; match = SENTENCE_END.exec(text)) {
    const end = match.index + match[0].length;
    push(start, match[0].startsWith('\n') ? match.index : end);
    start = end;
  }
  push(start, text.length);
  return sentences;
}

/**
 * §6.2 suppression 2: quotations introduced by a reporting verb ("he said 'you
 * never listen'") report someone else's words. Each region runs from the opening
 * quote to its closing quote (for a single quote: the next one not followed by a
 * letter, so apostrophes inside do not close it), or to the end of the line.
 */
const REPORTING_VERB =
  /\b(?:said|says|say|told\s+(?:me|us|him|her|them)|tells\s+(?:me|us|him|her)|texted|texts|wrote|writes|asked|asks|yelled|shouted|screamed|messaged|replied|went)\b[ \t]*[,:]?[ \t]*(["'])/gi;

export function reportedSpeechRegions(text: string): Segment[] {
  const regions: Segment[] = [];
  REPORTING_VERB.lastIndex = 0;
  for (let match = REPORTING_VERB.exec(text); match !== null; match = REPORTING_VERB.exec(text)) {
    const quote = match[1];
    const open = match.index + match[0].length - 1;
    let close = -1;
    for (let i = open + 1; i < text.length; i += 1) {
      const char = text[i];
      if (char === '\n') break;
      if (char !== quote) continue;
      if (quote === "'" && /[a-z]/i.test(text[i + 1] ?? '')) continue;
      close = i;
      break;
    }
    let end = close >= 0 ? close + 1 : text.indexOf('\n', open);
    if (end < 0) end = text.length;
    regions.push({ start: open, end });
    REPORTING_VERB.lastIndex = Math.max(REPORTING_VERB.lastIndex, end);
  }
  return regions;
}
