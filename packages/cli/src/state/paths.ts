import { join } from "node:path";

/** Every file this CLI owns lives under `~/.modu-arena/`, so that uninstall can remove one folder. */
export interface StatePaths {
  dir: string;
  config: string;
  manifest: string;
  status: string;
  lock: string;
  pending: string;
  collectorStateDir: string;
  queueDir: string;
  deadLetter: string;
  log: string;
}

export function getStatePaths(home: string): StatePaths {
  const dir = join(home, ".modu-arena");
  return {
    dir,
    config: join(dir, "config.json"),
    manifest: join(dir, "installed.json"),
    status: join(dir, "status.json"),
    lock: join(dir, "sync.lock"),
    pending: join(dir, "sync.pending"),
    collectorStateDir: join(dir, "state"),
    queueDir: join(dir, "queue"),
    deadLetter: join(dir, "dead-letter.jsonl"),
    log: join(dir, "sync.log"),
  };
}
