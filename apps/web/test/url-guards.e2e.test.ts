import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./e2e/app-server";

// The built app over HTTP (no browser): odd URLs are answered, never with a 500.
let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => app?.stop());

describe("odd page URLs", () => {
  it("answer 404 for malformed percent-encoding and for a name that is only a percent sign", async () => {
    for (const path of ["/en/users/ab%E0", "/en/users/%", "/en/users/%25", "/en/users/%E0%A4%A"]) {
      const res = await fetch(`${app.url}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(404);
    }
  });

  it("sign-in with a next carrying CR/LF or another host serves the form, leading to the dashboard", async () => {
    for (const next of ["/%0D%0ASet-Cookie:%20x=1", "//evil.example", "/%E0"]) {
      const res = await fetch(`${app.url}/en/sign-in?next=${next}`, { redirect: "manual" });
      expect(res.status, next).toBe(200);
      expect(res.headers.get("set-cookie") ?? "", next).not.toContain("x=1");
      // The form is handed the dashboard (Next's own router state echoes the URL, encoded).
      expect(await res.text(), next).toContain('{\\"next\\":\\"/dashboard\\"}');
    }
  });
});
