// How the Audit log page puts an entry into words. Pure and deterministic (the server renders it, in UTC), so
// the page reads the same on every render and in every test.

/** "Firefox 133 on macOS", "Chrome 131 on Android", or a tool's first product token, e.g. "curl/8.5.0". */
export function shortUserAgent(userAgent: string): string {
  const browser =
    match(userAgent, /\bEdg(?:A|iOS)?\/(\d+)/, "Edge") ??
    match(userAgent, /\bOPR\/(\d+)/, "Opera") ??
    match(userAgent, /\b(?:Firefox|FxiOS)\/(\d+)/, "Firefox") ??
    match(userAgent, /\b(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/, "Chrome") ??
    (/\bSafari\//.test(userAgent) ? match(userAgent, /\bVersion\/(\d+)/, "Safari") : null);
  const system = [
    [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
    [/\bAndroid\b/, "Android"],
    [/\bWindows\b/, "Windows"],
    [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
    [/\bCrOS\b/, "ChromeOS"],
    [/\bLinux\b/, "Linux"],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined;
  if (browser) return system ? `${browser} on ${system}` : browser;
  const first = userAgent.trim().split(/\s+/)[0] ?? "";
  return first.length > 40 ? `${first.slice(0, 39)}…` : first || "Unknown client";
}

function match(text: string, pattern: RegExp, name: string): string | null {
  const found = pattern.exec(text);
  return found ? `${name} ${found[1]}` : null;
}

const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  slug: "Slug",
  role: "Role",
  email: "Email",
  kind: "Kind",
  permissions: "Permissions",
  expiresAt: "Expires",
  ipAllowlist: "IP allowlist",
  partialKey: "Key",
  owner: "Owner",
  gracePeriod: "Grace period",
  stopsAt: "Stops",
  replacedBy: "Replaced by",
  replaces: "Replaces",
  invite: "Invite",
  via: "Via",
  reason: "Reason",
  source: "Reported by",
  url: "Found at",
  createdAt: "Created",
};

/** Words for the values the writers record as codes. */
const VALUE_WORDS: Record<string, string> = {
  all: "All permissions",
  read_only: "Read only",
  restricted: "Restricted",
  owner: "Owner",
  member: "Member",
  you: "The creator",
  machine: "A machine user",
  none: "None",
  "1h": "1 hour",
  "24h": "24 hours",
  "7d": "7 days",
  invite_link: "Invite link",
  sign_up: "Sign-up from an invite link",
  github: "GitHub secret scanning",
  public_report: "A public report",
  owner_removed: "Its owner was removed",
  owner_left: "Its owner left",
  machine_user_deleted: "Its machine user was deleted",
  last_key_deleted: "Its last key was deleted",
  removed: "Removed from the workspace",
  account_deleted: "Account deleted",
};

const CODED_FIELDS = new Set(["kind", "role", "owner", "gracePeriod", "via", "source", "reason"]);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** One recorded value in words: a list joined, nothing as "None", an instant in UTC to the minute. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined) return field === "expiresAt" ? "Never" : "None";
  if (Array.isArray(value))
    return value.length ? value.map((item) => valueText(field, item)).join(", ") : field === "ipAllowlist" ? "Any address" : "None";
  if (typeof value === "string") {
    if (ISO_INSTANT.test(value)) return `${value.slice(0, 10)} ${value.slice(11, 16)} UTC`;
    // Only fields that hold codes: a key named "all" is called "all".
    if (CODED_FIELDS.has(field) && Object.hasOwn(VALUE_WORDS, value)) return VALUE_WORDS[value]!;
    return value;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export interface ChangeLine {
  field: string;
  label: string;
  /** Set for a change; a detail of the event has only `value`. */
  from?: string;
  to?: string;
  value?: string;
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    "from" in value &&
    "to" in value &&
    Object.keys(value).length === 2
  );
}

/** An entry's `changes` as lines: "Role: Member → Owner", or a detail such as "Grace period: 24 hours". */
export function changeLines(changes: Record<string, unknown> | null): ChangeLine[] {
  if (!changes) return [];
  return Object.entries(changes).map(([field, value]) =>
    isChange(value)
      ? { field, label: fieldLabel(field), from: valueText(field, value.from), to: valueText(field, value.to) }
      : { field, label: fieldLabel(field), value: valueText(field, value) },
  );
}
