"use client";

import Link from "next/link";
import { Button, buttonClass } from "@/components/ui";

// What a page shows when the server could not render it (the database unreachable, say): a plain message and a
// way to retry, never the error itself. The digest names the entry in the server log.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="content" tabIndex={-1} className="mx-auto mt-24 max-w-md space-y-4 px-4 text-center outline-none">
      <h1 className="text-2xl font-semibold">This page could not be loaded</h1>
      <p className="text-sm text-neutral-600">
        Something went wrong on our side, for example the database did not answer. Try again in a moment.
      </p>
      <div className="flex justify-center gap-2">
        <Button type="button" onClick={reset}>
          Try again
        </Button>
        <Link className={buttonClass("secondary")} href="/">
          Home
        </Link>
      </div>
      {error.digest ? <p className="text-xs text-neutral-600">Reference: {error.digest}</p> : null}
    </main>
  );
}
