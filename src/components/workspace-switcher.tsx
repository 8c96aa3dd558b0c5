"use client";

import { useRouter } from "next/navigation";
import { FOCUS_RING } from "./ui";

export function WorkspaceSwitcher({ current, workspaces }: { current?: string; workspaces: { slug: string; name: string }[] }) {
  const router = useRouter();
  return (
    <select
      aria-label="Switch workspace"
      value={current ?? ""}
      onChange={(event) => router.push(event.target.value === "__new" ? "/new" : `/${event.target.value}`)}
      className={`max-w-[12rem] min-w-0 truncate rounded-md border border-neutral-400 bg-white px-2 py-1.5 text-sm font-medium text-neutral-900 ${FOCUS_RING}`}
    >
      {current ? null : (
        <option value="" disabled>
          Workspaces
        </option>
      )}
      {workspaces.map((workspace) => (
        <option key={workspace.slug} value={workspace.slug}>
          {workspace.name}
        </option>
      ))}
      <option value="__new">+ New workspace</option>
    </select>
  );
}
