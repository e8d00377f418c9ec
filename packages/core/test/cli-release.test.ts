import { describe, expect, it } from "vitest";
import { compareCliVersions, formatInstallCommand, getCliTarballUrl, isCliVersion } from "../src/cli-release";

describe("the CLI a server hands out", () => {
  it("the install line fetches the tarball from the server it connects to", () => {
    expect(formatInstallCommand("https://arena.example.org/", "1.4.0", "<api-key>")).toBe(
      "npx -y https://arena.example.org/cli/modu-arena-cli-1.4.0.tgz install --api-key <api-key> --server https://arena.example.org",
    );
    expect(getCliTarballUrl("http://localhost:3000", "0.1.0")).toBe(
      "http://localhost:3000/cli/modu-arena-cli-0.1.0.tgz",
    );
  });

  it("orders versions numerically, a pre-release before its release", () => {
    expect(compareCliVersions("0.10.0", "0.9.9")).toBe(1);
    expect(compareCliVersions("1.0.0", "1.0.0")).toBe(0);
    expect(compareCliVersions("1.0.0-beta.1", "1.0.0")).toBe(-1);
    expect(compareCliVersions("1.0.0", "1.0.0-beta.1")).toBe(1);
    expect(compareCliVersions("1.0.0-beta.1", "1.0.0-beta.2")).toBe(-1);
    expect(compareCliVersions("2.0.0", "10.0.0")).toBe(-1);
  });

  it("takes no path or other text for a version", () => {
    expect(["1.2.3", "0.1.0-rc.1"].every(isCliVersion)).toBe(true);
    expect(["../1.2.3", "1.2", "v1.2.3", "1.2.3/x", ""].some(isCliVersion)).toBe(false);
    expect(compareCliVersions("1.2", "1.2.0")).toBeNaN();
  });
});
