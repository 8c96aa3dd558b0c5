// How a key's page names status classes and counts, for the server-rendered parts and the chart alike.

export type StatusClass = "2xx" | "4xx" | "5xx";
export type StatusCounts = Record<StatusClass, number>;

/**
 * The three status classes, in the order the bars stack. Each colour is a theme colour that dark mode turns
 * round (globals.css), and the legend names each class, so the colour is never the only way to tell them apart.
 */
export const STATUS_CLASSES: { key: StatusClass; label: string; color: string; swatch: string }[] = [
  { key: "2xx", label: "succeeded", color: "var(--color-emerald-600)", swatch: "bg-emerald-600" },
  { key: "4xx", label: "refused or invalid", color: "var(--color-amber-500)", swatch: "bg-amber-500" },
  { key: "5xx", label: "server errors", color: "var(--color-red-600)", swatch: "bg-red-600" },
];

/** "1 request", "1,204 requests". */
export function countText(requests: number): string {
  return `${requests.toLocaleString("en")} ${requests === 1 ? "request" : "requests"}`;
}
