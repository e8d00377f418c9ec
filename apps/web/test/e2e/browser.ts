import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { root } from "./app-server";

export const SCREENSHOTS = path.join(root, "test-results/web");

/** Debian's chromium, never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Recharts draws after hydration and measuring; wait until `count` charts have an SVG surface. */
export async function waitForCharts(page: Page, count: number): Promise<number> {
  await page.waitForFunction((min) => document.querySelectorAll("svg.recharts-surface").length >= min, count, {
    timeout: 20_000,
  });
  // Pies and bars draw in a second pass after the surface exists.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("svg.recharts-surface")].every(
        (svg) => svg.querySelector("path, rect.recharts-rectangle, polygon") !== null,
      ),
    undefined,
    { timeout: 20_000 },
  );
  await page.waitForTimeout(300);
  return page.locator("svg.recharts-surface").count();
}
