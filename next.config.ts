import os from "node:os";
import type { NextConfig } from "next";

/**
 * The hosts `next dev` may serve its scripts and hot reload to, besides "localhost": Next 16 blocks its dev
 * resources for any other origin, so a page opened at http://127.0.0.1:3000 or at the "Network:" address it
 * prints (this machine's LAN address, e.g. from a phone) would never hydrate. Only the loopback names and this
 * machine's own addresses, read when the dev server starts; production ignores the setting.
 */
function devOrigins(): string[] {
  const hosts = new Set(["127.0.0.1", "localhost", "[::1]", os.hostname()]);
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) hosts.add(address.family === "IPv6" ? `[${address.address.split("%")[0]}]` : address.address);
  }
  return [...hosts];
}

const nextConfig: NextConfig = {
  // A self-contained server folder for Node hosts (`node .next/standalone/server.js`); Vercel ignores it.
  output: "standalone",
  poweredByHeader: false,
  // Readiness compares the applied migrations with this build's (src/server/health.ts): ship the folder.
  outputFileTracingIncludes: { "/api/health/ready": ["./prisma/migrations/**/*"] },
  allowedDevOrigins: devOrigins(),
  // Native and wire-protocol packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "@prisma/adapter-pg", "pg", "@electric-sql/pglite", "rate-limiter-flexible"],
};

export default nextConfig;
