import { createInterface } from "node:readline";
import { CliError, EXIT } from "../errors";
import type { Runtime } from "../runtime";

/** Reads all of stdin (for `--password-stdin`), without the trailing newline. */
export async function readAllStdin(runtime: Runtime): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of runtime.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks one question on a terminal; refuses clearly when there is none (scripts pass flags instead). */
export async function ask(runtime: Runtime, question: string, hint: string): Promise<string> {
  if (!runtime.stdin.isTTY)
    throw new CliError(`${question.replace(/:\s*$/, "")} is required`, { exitCode: EXIT.usage, hint });
  const reader = createInterface({ input: runtime.stdin, output: runtime.stderr });
  try {
    return (await new Promise<string>((resolve) => reader.question(question, resolve))).trim();
  } finally {
    reader.close();
  }
}

/** The password: from stdin with `--password-stdin`, from MODU_ARENA_PASSWORD, or asked on the terminal. */
export async function readPassword(runtime: Runtime, fromStdin: boolean): Promise<string> {
  const password = fromStdin
    ? await readAllStdin(runtime)
    : (runtime.env.MODU_ARENA_PASSWORD ??
      (await ask(runtime, "Password: ", "use --password-stdin or MODU_ARENA_PASSWORD in scripts")));
  if (!password)
    throw new CliError("the password is empty", {
      exitCode: EXIT.usage,
      hint: "give a password of 8 or more characters",
    });
  return password;
}
