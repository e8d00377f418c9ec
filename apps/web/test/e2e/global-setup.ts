import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Builds the web app once when its build is missing or stale (same rule as `npm start`). */
export default function setup(): void {
  const result = spawnSync(process.execPath, [path.join(root, "scripts/start.mjs"), "--build-only"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("next build failed");
}
