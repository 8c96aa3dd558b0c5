import Link from "next/link";
import { buttonClass } from "@/components/ui";

// One answer for a page that does not exist and for a workspace you are not (or no longer) a member of, so the
// page never tells which workspaces exist.
export default function NotFound() {
  return (
    <main id="content" tabIndex={-1} className="mx-auto mt-24 max-w-md space-y-4 px-4 text-center outline-none">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-neutral-600">This page does not exist, or you do not have access to it.</p>
      <Link className={buttonClass("secondary")} href="/">
        Go to your workspaces
      </Link>
    </main>
  );
}
