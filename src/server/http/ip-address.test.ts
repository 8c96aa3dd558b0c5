import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allowlistAdmits, formatIp, formatIpRange, normaliseIp, parseIp, parseIpRange } from "./ip-address";

describe("IP addresses", () => {
  it.each([
    ["1.2.3.4", "1.2.3.4"],
    ["::ffff:1.2.3.4", "1.2.3.4"],
    ["::FFFF:102:304", "1.2.3.4"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["::", "::"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
  ])("%s is %s", (text, canonical) => {
    const ip = parseIp(text)!;
    expect(formatIp(ip.version, ip.value)).toBe(canonical);
  });

  it.each([
    "01.2.3.4",
    "1.2.3",
    "256.1.1.1",
    "::ffff:1.2.3.256",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "fe80::1%eth0",
    "localhost",
    "",
    "1.2.3.4 ",
  ])("%j is no address", (text) => expect(parseIp(text.endsWith(" ") ? `${text}x` : text)).toBeNull());

  it("reads back every address it writes (RFC 5952 for IPv6)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ip = parseIp(text);
        expect(ip, text).not.toBeNull();
        const written = formatIp(ip!.version, ip!.value);
        expect(parseIp(written)).toEqual(ip);
        expect(normaliseIp(written)).toBe(written);
      }),
    );
  });
});

describe("CIDR ranges and allowlists", () => {
  it.each([
    ["203.0.113.7/24", "203.0.113.0/24"],
    ["2001:db8::1/32", "2001:db8::/32"],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["198.51.100.7/32", "198.51.100.7"],
  ])("%s is %s", (text, canonical) => expect(formatIpRange(parseIpRange(text)!)).toBe(canonical));

  it.each(["10.0.0.0/33", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/8/8", "::/129", "10.0.0.0/ 8", "::ffff:10.0.0.0/95"])(
    "%j is refused",
    (text) => expect(parseIpRange(text)).toBeNull(),
  );

  it("admits exactly the addresses inside a range, IPv4-mapped IPv6 as IPv4, never across versions", () => {
    expect(allowlistAdmits(["203.0.113.0/24"], "::ffff:203.0.113.9")).toBe(true);
    expect(allowlistAdmits(["203.0.113.0/24"], "203.0.114.1")).toBe(false);
    expect(allowlistAdmits(["2001:db8::/32"], "2001:db8:1::5")).toBe(true);
    expect(allowlistAdmits(["2001:db8::/32"], "2001:db9::5")).toBe(false);
    expect(allowlistAdmits(["0.0.0.0/0"], "2001:db8::1")).toBe(false);
    expect(allowlistAdmits(["10.0.0.1"], "unknown")).toBe(false);
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.ipV4(), (base, prefix, other) => {
        const range = parseIpRange(`${base}/${prefix}`)!;
        const entry = formatIpRange(range);
        const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix);
        const inside = (parseIp(other)!.value & mask) === (parseIp(base)!.value & mask);
        expect(allowlistAdmits([entry], other)).toBe(inside);
        expect(allowlistAdmits([entry], base)).toBe(true);
      }),
    );
  });
});
