/** A README reduced to what the rubric measures; the text itself is never logged or stored. */
export interface ReadmeOutline {
  title: string | undefined;
  sections: ReadmeSection[];
  codeBlocks: ReadmeCodeBlock[];
  /** Prose only: words outside code blocks. */
  words: number;
  sentences: number;
  hasList: boolean;
  hasTable: boolean;
  /** Prose lines before the first section heading (the introduction). */
  introWords: number;
}

export interface ReadmeSection {
  level: number;
  title: string;
  words: number;
  codeBlocks: number;
}

export interface ReadmeCodeBlock {
  info: string;
  lines: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

function countWords(line: string): number {
  return line.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** One pass over the lines: headings and fences are recognised as CommonMark does for the common cases. */
export function outlineReadme(markdown: string): ReadmeOutline {
  const outline: ReadmeOutline = {
    title: undefined,
    sections: [],
    codeBlocks: [],
    words: 0,
    sentences: 0,
    hasList: false,
    hasTable: false,
    introWords: 0,
  };
  let fence: { marker: string; info: string; lines: number } | undefined;
  let current: ReadmeSection | undefined;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (fence) {
      const closing = line.trim();
      if (/^(`+|~+)$/.test(closing) && closing[0] === fence.marker[0] && closing.length >= fence.marker.length) {
        outline.codeBlocks.push({ info: fence.info, lines: fence.lines });
        if (current) current.codeBlocks++;
        fence = undefined;
      } else {
        fence.lines++;
      }
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = { marker: opening[1]!, info: opening[2]!.trim(), lines: 0 };
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const title = heading[2]!.trim();
      if (level === 1 && outline.title === undefined && outline.sections.length === 0) {
        outline.title = title;
        continue;
      }
      current = { level, title, words: 0, codeBlocks: 0 };
      outline.sections.push(current);
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+\S/.test(line)) outline.hasList = true;
    if (/^\s*\|.*\|\s*$/.test(line)) outline.hasTable = true;
    const words = countWords(line);
    outline.words += words;
    outline.sentences += (line.match(/[.!?](\s|$)/g) ?? []).length;
    if (current) current.words += words;
    else outline.introWords += words;
  }
  // An unclosed fence still counts as code, as renderers show it.
  if (fence) outline.codeBlocks.push({ info: fence.info, lines: fence.lines });
  return outline;
}

/** Sections whose title matches, with their subsections' words and code blocks summed in. */
export function findSections(
  outline: ReadmeOutline,
  pattern: RegExp,
): { words: number; codeBlocks: number } | undefined {
  let found: { words: number; codeBlocks: number } | undefined;
  let openLevel = 0;
  for (const section of outline.sections) {
    if (openLevel > 0 && section.level <= openLevel) openLevel = 0;
    if (openLevel === 0 && pattern.test(section.title)) openLevel = section.level;
    if (openLevel === 0) continue;
    found ??= { words: 0, codeBlocks: 0 };
    found.words += section.words;
    found.codeBlocks += section.codeBlocks;
  }
  return found;
}
