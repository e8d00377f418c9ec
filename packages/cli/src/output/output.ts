import type { Runtime } from "../runtime";

export interface Output {
  /** Data for the user or for a pipe: stdout. */
  print(text: string): void;
  printJson(value: unknown): void;
  /** Progress and diagnostics: stderr, so that stdout stays parseable. */
  log(text: string): void;
  warn(text: string): void;
  color: Colors;
  isTerminal: boolean;
}

export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
}

function wrap(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

/** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function createColors(enabled: boolean): Colors {
  return {
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    red: wrap(enabled, 31, 39),
  };
}

export function createOutput(runtime: Runtime): Output {
  const noColor = runtime.env.NO_COLOR !== undefined && runtime.env.NO_COLOR !== "";
  const forceColor = runtime.env.FORCE_COLOR !== undefined && runtime.env.FORCE_COLOR !== "0";
  const stderrColor = !noColor && (forceColor || runtime.stderr.isTTY === true);
  const color = createColors(!noColor && (forceColor || runtime.stdout.isTTY === true));
  const errColor = createColors(stderrColor);
  return {
    print: (text) => runtime.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    printJson: (value) => runtime.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    log: (text) => runtime.stderr.write(`${text}\n`),
    warn: (text) => runtime.stderr.write(`${errColor.yellow("warning:")} ${text}\n`),
    color,
    isTerminal: runtime.stdout.isTTY === true,
  };
}

/** Pads columns to their widest cell; numbers are right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [
    header,
    ...rows.map((row) => row.map((cell) => (typeof cell === "number" ? formatNumber(cell) : cell))),
  ];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? "").length)));
  return cells
    .map((row, index) =>
      row
        .map((cell, column) => {
          const width = widths[column] ?? 0;
          const numeric = index > 0 && typeof rows[index - 1]?.[column] === "number";
          return numeric ? String(cell).padStart(width) : String(cell).padEnd(width);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatNumber(value: number): string {
  return value.toLocaleString("en-US");
}
