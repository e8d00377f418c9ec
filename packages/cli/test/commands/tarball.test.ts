import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readTarball } from "../../src/commands/tarball";

/** A ustar archive written by hand: each entry's header (name, size, type, checksum) and its padded data. */
function makeTarball(entries: { name: string; content?: string; type?: string; pax?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  const pushEntry = (name: string, data: Buffer, type: string) => {
    const header = Buffer.alloc(512);
    header.write(name.slice(0, 100), 0);
    header.write("0000644\0", 100);
    header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write(type, 156);
    header.write("ustar\0", 257);
    header.write("        ", 148);
    const sum = header.reduce((total, byte) => total + byte, 0);
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  };
  for (const entry of entries) {
    if (entry.pax) {
      const record = ` path=${entry.pax}\n`;
      let length = record.length + 2;
      if (`${length}${record}`.length !== length) length += 1;
      pushEntry("PaxHeader", Buffer.from(`${length}${record}`), "x");
    }
    pushEntry(entry.name, Buffer.from(entry.content ?? ""), entry.type ?? "0");
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe("readTarball", () => {
  it("reads files and folders as npm pack writes them, long paths from pax headers", () => {
    const long = `package/dist/chunks/${"x".repeat(120)}.js`;
    const files = readTarball(
      makeTarball([
        { name: "package/dist", type: "5" },
        { name: "package/dist/cli.js", content: "console.log(1);\n" },
        { name: "truncated-name", content: "long", pax: long },
      ]),
    );
    expect([...files.keys()]).toEqual(["package/dist/cli.js", long]);
    expect(files.get("package/dist/cli.js")?.toString()).toBe("console.log(1);\n");
  });

  it("refuses a path that climbs out, and links", () => {
    expect(() => readTarball(makeTarball([{ name: "package/../../.bashrc", content: "x" }]))).toThrow(/unsafe path/);
    expect(() => readTarball(makeTarball([{ name: "/etc/passwd", content: "x" }]))).toThrow(/unsafe path/);
    expect(() => readTarball(makeTarball([{ name: "package/dist/cli.js", type: "2" }]))).toThrow(/type 2/);
  });

  it("refuses a truncated archive", () => {
    const tar = makeTarball([{ name: "package/dist/cli.js", content: "y".repeat(2000) }]);
    const cut = gzipSync(gunzipSync(tar).subarray(0, 1024));
    expect(() => readTarball(cut)).toThrow(/truncated/);
  });
});
