#!/usr/bin/env node
// Fails when the committed dist/ was not built from the current sources: builds the UI again
// into a temporary directory with the same configuration and compares every file byte for byte.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const committed = path.join(root, "dist");
const fresh = await mkdtemp(path.join(tmpdir(), "lpm-web-dist-"));

async function files(dir, prefix = "") {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await files(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

try {
  await build({ root, logLevel: "warn", build: { outDir: fresh, emptyOutDir: true } });
  const want = await files(fresh);
  let have = [];
  try {
    have = await files(committed);
  } catch {
    // No dist/ at all: every file is missing.
  }
  const problems = [];
  for (const f of want) {
    if (!have.includes(f)) problems.push(`missing from dist/: ${f}`);
    else if (!(await readFile(path.join(fresh, f))).equals(await readFile(path.join(committed, f))))
      problems.push(`differs: dist/${f}`);
  }
  for (const f of have) if (!want.includes(f)) problems.push(`stale file in dist/: ${f}`);
  if (problems.length) {
    console.error(problems.join("\n"));
    console.error(
      "dist/ was not built from the current sources: run `npm ci && npm run build` in lpm-server/web and commit dist/.",
    );
    process.exit(1);
  }
  console.log(`dist: ${want.length} files match a fresh build of the sources`);
} finally {
  await rm(fresh, { recursive: true, force: true });
}
