import { applyEdits, findNodeAtLocation, modify, type Node, type ParseError, parseTree } from "jsonc-parser";

/**
 * Text-level edits of JSON settings files: our additions are spliced in as whole snippets, so that
 * removing the same snippets gives back the user's file byte for byte, whatever its formatting.
 */
export interface JsonDocument {
  text: string;
  root: Node | undefined;
  indentUnit: string;
  eol: string;
}

export function parseJsonDocument(text: string, allowComments: boolean): JsonDocument | { error: string } {
  const errors: ParseError[] = [];
  const root =
    text.trim() === ""
      ? undefined
      : parseTree(text, errors, { disallowComments: !allowComments, allowTrailingComma: allowComments });
  if (errors.length > 0 || (root && root.type !== "object")) {
    const offset = errors[0]?.offset ?? 0;
    const line = text.slice(0, offset).split("\n").length;
    return {
      error: root && root.type !== "object" ? "the top level is not an object" : `syntax error on line ${line}`,
    };
  }
  return { text, root, indentUnit: detectIndentUnit(text), eol: text.includes("\r\n") ? "\r\n" : "\n" };
}

function detectIndentUnit(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match?.[1] ?? "  ";
}

function getLineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
}

function isOnSameLine(text: string, from: number, to: number): boolean {
  return !text.slice(from, to).includes("\n");
}

function serialize(value: unknown, document: JsonDocument, indent: string): string {
  const unit = document.indentUnit.includes("\t") ? "\t" : document.indentUnit.length;
  return JSON.stringify(value, null, unit).split("\n").join(`${document.eol}${indent}`);
}

function getChildIndent(document: JsonDocument, container: Node): string {
  const first = container.children?.[0];
  if (first && !isOnSameLine(document.text, container.offset, first.offset))
    return getLineIndent(document.text, first.offset);
  return getLineIndent(document.text, container.offset) + document.indentUnit;
}

/** Where and what to insert so that `container` (object or array) gains one more member at its end. */
export function planAppend(
  document: JsonDocument,
  container: Node,
  value: unknown,
  key?: string,
): { offset: number; snippet: string } {
  const indent = getChildIndent(document, container);
  const member = `${key === undefined ? "" : `${JSON.stringify(key)}: `}${serialize(value, document, indent)}`;
  const last = container.children?.at(-1);
  if (last) return { offset: last.offset + last.length, snippet: `,${document.eol}${indent}${member}` };
  const closing = getLineIndent(document.text, container.offset);
  return { offset: container.offset + 1, snippet: `${document.eol}${indent}${member}${document.eol}${closing}` };
}

export function insertSnippet(text: string, offset: number, snippet: string): string {
  return text.slice(0, offset) + snippet + text.slice(offset);
}

/** Removes a snippet we inserted, if it is still there exactly once. */
export function removeSnippet(text: string, snippet: string): string | undefined {
  const at = text.indexOf(snippet);
  if (at < 0 || text.indexOf(snippet, at + 1) >= 0) return undefined;
  return text.slice(0, at) + text.slice(at + snippet.length);
}

export function findNode(document: JsonDocument, path: (string | number)[]): Node | undefined {
  return document.root ? findNodeAtLocation(document.root, path) : undefined;
}

/** Structural removal for files the user reformatted after install: keeps other keys, not every space. */
export function removeAtPath(text: string, path: (string | number)[], document: JsonDocument): string {
  const tabs = document.indentUnit.includes("\t");
  const options = {
    formattingOptions: { insertSpaces: !tabs, tabSize: tabs ? 1 : document.indentUnit.length, eol: document.eol },
  };
  return applyEdits(text, modify(text, path, undefined, options));
}
