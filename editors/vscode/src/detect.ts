// Content detection for capture files. Pure: no `vscode` import, unit-tested directly.
//
// The same rule is implemented in editors/neovim/ftdetect/capture.lua and
// editors/emacs/capture-mode.el; keep them in step.
//
//   1. skip an optional UTF-8 BOM;
//   2. optionally skip a YAML front matter block (`---` first line ... `---`), and blank
//      lines after it;
//   3. then either a line `<!--digits-->` followed by a line starting with `[`,
//      or a line starting with `[` containing `](` followed (possibly after one more line,
//      for a title that runs over two physical lines) by a line `------`.
// Only the first MAX_LINES lines are looked at.

export const MAX_LINES = 30;

const TIMESTAMP = /^<!--\d+-->\s*$/;
const SEPARATOR = /^------\s*$/;
const FRONT_MATTER = /^---\s*$/;

/** `lines`: the first lines of a document (more than MAX_LINES are ignored). */
export function isCaptureLines(input: readonly string[]): boolean {
  const lines = input.slice(0, MAX_LINES).map((l) => l.replace(/\r$/, ''));
  if (lines.length === 0) return false;
  if (lines[0].startsWith('\uFEFF')) lines[0] = lines[0].slice(1);

  let i = 0;
  if (FRONT_MATTER.test(lines[0])) {
    let close = -1;
    for (let j = 1; j < lines.length; j++) {
      if (FRONT_MATTER.test(lines[j])) {
        close = j;
        break;
      }
    }
    if (close < 0) return false;
    i = close + 1;
    while (i < lines.length && lines[i].trim() === '') i++;
  }

  const at = (k: number): string | undefined => (k < lines.length ? lines[k] : undefined);
  const first = at(i);
  if (first === undefined) return false;

  if (TIMESTAMP.test(first)) {
    return (at(i + 1) ?? '').startsWith('[');
  }
  if (first.startsWith('[') && first.includes('](')) {
    return SEPARATOR.test(at(i + 1) ?? '') || SEPARATOR.test(at(i + 2) ?? '');
  }
  return false;
}

/** Detect on the start of a document's text (only the first MAX_LINES lines are split off). */
export function isCaptureText(text: string): boolean {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < MAX_LINES && start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    lines.push(text.slice(start, nl));
    start = nl + 1;
  }
  return isCaptureLines(lines);
}

/** File names whose documents are switched to `capture` when their content is a capture. */
export function isContentDetectedFileName(fileName: string): boolean {
  return /\.(md|txt)$/i.test(fileName);
}
