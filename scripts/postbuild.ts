// After `next build`: complete the standalone server folder with the files Next leaves out of it (static
// assets and public/), so `node .next/standalone/server.js` serves everything on a Node host.
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const standalone = ".next/standalone";
if (existsSync(standalone)) {
  cpSync(".next/static", `${standalone}/.next/static`, { recursive: true });
  if (existsSync("public")) cpSync("public", `${standalone}/public`, { recursive: true });
  registerBeforeListening(`${standalone}/server.js`);
}

/**
 * Next calls the instrumentation hook only after the server listens, and requests accepted in between skip
 * what register() installs: the first request after a start could reach Next with a dot segment in its path
 * (src/server/http/raw-path-guard.ts). So the standalone server runs register() first, then starts; Next's
 * own later call finds the guard installed and does nothing. Fails the build if server.js changed shape.
 */
function registerBeforeListening(serverJs: string): void {
  const MARK = "/* heyoo: register() before listening (scripts/postbuild.ts) */";
  const source = readFileSync(serverJs, "utf8");
  if (source.includes(MARK)) return;
  const call = "\nstartServer({";
  if (source.split(call).length !== 2) throw new Error(`${serverJs}: expected one "startServer({" call to run register() before.`);
  const preamble = `\n${MARK}\nconst registerFirst = (start) => (options) => require("./.next/server/instrumentation.js").register().then(() => start(options));\n`;
  writeFileSync(serverJs, source.replace(call, `${preamble}registerFirst(startServer)({`));
}
