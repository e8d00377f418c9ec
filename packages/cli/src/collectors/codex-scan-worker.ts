import { readRolloutTask } from "./codex-read";
import { serveTasks } from "./file-pool";

/** Worker entry (bundled as dist/codex-scan-worker.js): reads the rollouts the main thread hands it. */
serveTasks(readRolloutTask);
