export function TagChip({ name, color }: { name: string; color: string }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full border border-neutral-200 bg-white px-2 py-0.5 text-xs">
      <span aria-hidden className="size-2 rounded-full" style={{ backgroundColor: color }} />
      {name}
    </span>
  );
}
