#!/usr/bin/env node
// Generates src/api/schema.d.ts, the TypeScript types of the manager's API, from the committed
// OpenAPI document (openapi/openapi.json at the repository's root). With --check it writes
// nothing and fails when the committed types differ from what the document generates, so the
// UI never drifts from the API it calls.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const spec = path.resolve(here, "../../../openapi/openapi.json");
const out = path.resolve(here, "../src/api/schema.d.ts");
const check = process.argv.includes("--check");

const HEADER =
  "// Generated from openapi/openapi.json by `npm run gen:api` (scripts/gen-api.mjs): do not edit.\n\n";

const document = JSON.parse(await readFile(spec, "utf8"));
const ast = await openapiTS(document, { alphabetize: true });
const text = HEADER + astToString(ast);

if (check) {
  let committed = "";
  try {
    committed = await readFile(out, "utf8");
  } catch {
    // A missing file is drift like any other.
  }
  if (committed !== text) {
    console.error(
      `${path.relative(process.cwd(), out)} is out of date with openapi/openapi.json: run \`npm run gen:api\` in lpm-server/web and commit the result.`,
    );
    process.exit(1);
  }
  console.log("api types: up to date with openapi/openapi.json");
} else {
  await writeFile(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
