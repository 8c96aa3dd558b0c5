// `npm run lint:openapi`: the OpenAPI document, built from the operations exactly as the server serves it
// (no server needed), linted by Spectral with the OpenAPI and OWASP API Security rulesets (.spectral.yaml).
// Fails on any error; warnings are printed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildOpenApiDocument } from "../src/server/api/openapi";

// Inside the project (src/generated is ignored by git): the ruleset's overrides name locations of the document
// with globs that Spectral resolves from the ruleset's folder, so a document in the system's temp folder matches none.
mkdirSync("src/generated", { recursive: true });
const dir = mkdtempSync(path.resolve("src/generated/openapi-lint-"));
const file = path.join(dir, "openapi.json");
try {
  writeFileSync(file, JSON.stringify(buildOpenApiDocument(), null, 2));
  const spectral = path.resolve("node_modules/.bin/spectral");
  const extra = process.argv.slice(2);
  const result = spawnSync(spectral, ["lint", file, "--ruleset", path.resolve(".spectral.yaml"), "--fail-severity", "error", ...extra], {
    stdio: "inherit",
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
