import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildHookCommand } from "../../packages/cli/src/hooks/hook-command";
import { type Measure, measure, median, work } from "./measure";

/**
 * Hook return in a home where the CLI is installed: the command exactly as installed in the tools'
 * settings, run through the shell as the tools run it (what the tool waits for), and the `hook` process it
 * puts in the background (spawn to exit, node start-up included), beside `node -e 0`. `cli`: the built CLI.
 */
export function measureHook(times: number, cli: string) {
  const hookHome = path.join(work, "hook-home");
  mkdirSync(path.join(hookHome, ".modu-arena"), { recursive: true });
  writeFileSync(path.join(hookHome, ".modu-arena", "config.json"), "{}\n");
  const command = buildHookCommand({ node: process.execPath, script: cli }, process.platform, ["hook", "claude-code"]);
  const stdin = JSON.stringify({ session_id: "x", transcript_path: "/x.jsonl", hook_event_name: "Stop" });
  const installed: Measure[] = [];
  const background: Measure[] = [];
  const bare: Measure[] = [];
  // The processes a hook leaves behind finish before the next figure is taken.
  const settle = () => execFileSync("sleep", ["1"]);
  for (let run = 0; run < times; run++) {
    // The detached sync it starts finds no valid config and exits; only the hook's own return is timed.
    installed.push(measure("/bin/sh", ["-c", command], { HOME: hookHome }, stdin));
    settle();
    background.push(measure("node", [cli, "hook", "claude-code"], { HOME: hookHome }, stdin));
    settle();
    bare.push(measure("node", ["-e", "0"]));
  }
  const ms = (values: number[]) => Math.round(median(values) * 1000);
  return {
    command,
    medianMs: ms(installed.map((m) => m.wallS)),
    maxMs: Math.round(Math.max(...installed.map((m) => m.wallS)) * 1000),
    backgroundProcessMedianMs: ms(background.map((m) => m.wallS)),
    backgroundProcessCpuMedianMs: ms(background.map((m) => m.userS + m.sysS)),
    nodeStartMedianMs: ms(bare.map((m) => m.wallS)),
    nodeStartCpuMedianMs: ms(bare.map((m) => m.userS + m.sysS)),
  };
}

/**
 * Microseconds to touch a fresh 4 KB page, in a child process (median of 5): on some VMs this is 15 µs
 * instead of a few tenths, and it inflates every Node process's figures more than a native peer's.
 */
export function measureFirstTouch(): number {
  const probe =
    "const b=Buffer.allocUnsafeSlow(64<<20);const t=process.hrtime.bigint();" +
    "for(let i=0;i<b.length;i+=4096)b[i]=1;console.log(Number(process.hrtime.bigint()-t)/1e3/(b.length/4096))";
  const samples = Array.from({ length: 5 }, () => Number(execFileSync("node", ["-e", probe], { encoding: "utf8" })));
  return Number(median(samples).toFixed(2));
}
