import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Heyoo", template: "%s · Heyoo" },
  description: "Campaigns, analytics and organisation-scoped API keys.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, the 404 page too: the security policy lets only scripts with this
  // request's nonce run (src/proxy.ts), and Next stamps the nonce only on what it renders for a request. A
  // page prerendered at build time, such as the not-found page of an unknown path, would carry none and its
  // scripts would be blocked.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a
          href="#content"
          className="sr-only rounded-md bg-neutral-900 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[60] focus:outline-none focus:ring-2 focus:ring-blue-600 focus:ring-offset-2"
        >
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
