import type { Logger } from "./logger";

export interface Job {
  name: string;
  intervalSeconds: number;
  run(): Promise<unknown>;
  /** Run once right after start (e.g. rankings on a fresh database). */
  runAtStart?: boolean;
}

/**
 * In-process schedule for the single-node default. Each job waits for its previous run to finish;
 * cross-instance exclusion is the job's own business (advisory locks).
 */
export function startScheduler(jobs: Job[], log: Logger): { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    if (job.intervalSeconds <= 0) continue;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await job.run();
      } catch (error) {
        log.error("scheduled job failed", { job: job.name, error: String(error) });
      } finally {
        running = false;
      }
    };
    if (job.runAtStart) void tick();
    const timer = setInterval(tick, job.intervalSeconds * 1000);
    timer.unref();
    timers.push(timer);
  }
  return { stop: () => timers.forEach(clearInterval) };
}
