// After `next build`: complete the standalone server folder with the files Next leaves out of it (static
// assets and public/), so `node .next/standalone/server.js` serves everything on a Node host.
import { cpSync, existsSync } from "node:fs";

const standalone = ".next/standalone";
if (existsSync(standalone)) {
  cpSync(".next/static", `${standalone}/.next/static`, { recursive: true });
  if (existsSync("public")) cpSync("public", `${standalone}/public`, { recursive: true });
}
