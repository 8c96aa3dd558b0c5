// IP addresses and CIDR ranges, parsed, normalised and matched without Node's `net` (the key dialogs validate
// allowlists in the browser with the same code). An IPv4-mapped IPv6 address (::ffff:203.0.113.7) is the IPv4
// address it carries: that is what a dual-stack socket reports for an IPv4 client.

export interface IpRange {
  version: 4 | 6;
  /** The network address, as a number of 32 or 128 bits. */
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    // Decimal only, no leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return null;
  let hex = text;
  if (text.includes(".")) {
    // A trailing dotted IPv4 (::ffff:192.0.2.1) is the last two groups written in decimal.
    const lastColon = text.lastIndexOf(":");
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    hex = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = hex.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...left, ...right].some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return null;
  const given = left.length + right.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return null;
  const all = [...left, ...Array<string>(8 - given).fill("0"), ...right];
  return all.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

/** An address as { version, value }, IPv4-mapped IPv6 as IPv4; null when the text is not an address. */
export function parseIp(text: string): { version: 4 | 6; value: bigint } | null {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4 !== null) return { version: 4, value: v4 };
  // A zone (fe80::1%eth0) names an interface of the sender's machine: meaningless here.
  const v6 = parseIpv6(trimmed.replace(/^\[(.*)\]$/, "$1"));
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

export function formatIp(version: 4 | 6, value: bigint): string {
  return version === 4 ? formatIpv4(value) : formatIpv6(value);
}

/** "203.0.113.7", "203.0.113.0/24", "2001:db8::/32", "::ffff:10.0.0.0/104" as a range; null when invalid. */
export function parseIpRange(text: string): IpRange | null {
  const [address, prefixText, ...rest] = text.trim().split("/");
  if (rest.length || address === undefined) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const mapped = ip.version === 4 && address.includes(":");
  let prefix = BITS[ip.version];
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText) - (mapped ? 96 : 0);
    if (prefix < 0 || prefix > BITS[ip.version]) return null;
  }
  const hostBits = BigInt(BITS[ip.version] - prefix);
  return { version: ip.version, network: (ip.value >> hostBits) << hostBits, prefix };
}

/** The canonical text of a range: its network address, and its prefix unless it is a single address. */
export function formatIpRange(range: IpRange): string {
  const address = formatIp(range.version, range.network);
  return range.prefix === BITS[range.version] ? address : `${address}/${range.prefix}`;
}

export function rangeContains(range: IpRange, ip: { version: 4 | 6; value: bigint }): boolean {
  if (range.version !== ip.version) return false;
  const hostBits = BigInt(BITS[range.version] - range.prefix);
  return ip.value >> hostBits === range.network >> hostBits;
}

/** The canonical form of an address ("::ffff:10.0.0.1" → "10.0.0.1"), or the text as given when it is none. */
export function normaliseIp(text: string): string {
  const ip = parseIp(text);
  return ip ? formatIp(ip.version, ip.value) : text;
}

/** Whether `address` is inside one of the allowlist's ranges (entries already normalised). */
export function allowlistAdmits(allowlist: readonly string[], address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  return allowlist.some((entry) => {
    const range = parseIpRange(entry);
    return range !== null && rangeContains(range, ip);
  });
}
