import { ensureCliBuilt } from "./helpers/build-cli";

/** Vitest globalSetup: the end-to-end tests spawn the built binary, so build it once before any runs. */
export default function setup(): void {
  ensureCliBuilt();
}
