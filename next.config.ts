import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A self-contained server folder for Node hosts (`node .next/standalone/server.js`); Vercel ignores it.
  output: "standalone",
  poweredByHeader: false,
  // Readiness compares the applied migrations with this build's (src/server/health.ts): ship the folder.
  outputFileTracingIncludes: { "/api/health/ready": ["./prisma/migrations/**/*"] },
  // Native and wire-protocol packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "@prisma/adapter-pg", "pg", "@electric-sql/pglite", "rate-limiter-flexible"],
};

export default nextConfig;
