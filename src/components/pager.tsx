import Link from "next/link";
import { buttonClass } from "./ui";

/** "Next page" for cursor-paginated lists; the first page is the page without a cursor. */
export function Pager({
  basePath,
  params,
  nextCursor,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextCursor: string | null;
}) {
  const current = Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1]));
  const isFirst = !params.cursor;
  const without = current.filter(([name]) => name !== "cursor");
  const href = (cursor?: string) => {
    const search = new URLSearchParams(cursor ? [...without, ["cursor", cursor]] : without).toString();
    return search ? `${basePath}?${search}` : basePath;
  };
  if (isFirst && !nextCursor) return null;
  return (
    <nav aria-label="Pages" className="flex justify-between pt-4">
      {isFirst ? (
        <span />
      ) : (
        <Link className={buttonClass("secondary")} href={href()}>
          First page
        </Link>
      )}
      {nextCursor ? (
        <Link className={buttonClass("secondary")} href={href(nextCursor)}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
