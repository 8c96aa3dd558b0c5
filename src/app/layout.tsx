import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Heyoo", template: "%s · Heyoo" },
  description: "Campaigns, analytics and organisation-scoped API keys.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
