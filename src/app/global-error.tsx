"use client";

import "./globals.css";

// The last resort, when even the root layout failed: it replaces the whole document.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main className="mx-auto mt-24 max-w-md space-y-4 px-4 text-center">
          <h1 className="text-2xl font-semibold">Heyoo is unavailable right now</h1>
          <p className="text-sm text-neutral-600">Try again in a moment.</p>
          <button type="button" onClick={reset} className="rounded-md bg-neutral-900 px-3 py-2 text-sm font-medium text-white">
            Try again
          </button>
          {error.digest ? <p className="text-xs text-neutral-500">Reference: {error.digest}</p> : null}
        </main>
      </body>
    </html>
  );
}
