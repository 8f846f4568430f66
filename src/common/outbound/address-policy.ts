import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP address is, as far as outbound calls care. Only 'public' may be reached by a URL that a
 * partner gave us (media files, callbacks); everything else is refused unless configuration allows it.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'metadata'
  | 'reserved'
  | 'invalid';

/** Cloud instance-metadata endpoints: named separately because they are the classic SSRF target. */
const METADATA_V4 = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, Oracle
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.253', // AWS VPC DNS
  '100.100.100.200', // Alibaba Cloud
]);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']); // AWS IMDS over IPv6

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return null;
  }
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? bytes : null;
}

function parseGroups(text: string): number[] | null {
  if (text === '') {
    return [];
  }
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) {
        return null;
      }
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) {
      return null;
    }
    groups.push(parseInt(part, 16));
  }
  return groups;
}

/** 16 bytes of an IPv6 address in any textual form (compressed, embedded dotted quad, zone id). */
export function parseIpv6(text: string): number[] | null {
  const address = text.replace(/%.*$/, '');
  const gap = address.indexOf('::');
  let groups: number[] | null;
  if (gap === -1) {
    groups = parseGroups(address);
    if (!groups || groups.length !== 8) {
      return null;
    }
  } else {
    if (address.indexOf('::', gap + 1) !== -1) {
      return null;
    }
    const head = parseGroups(address.slice(0, gap));
    const tail = parseGroups(address.slice(gap + 2));
    if (!head || !tail || head.length + tail.length > 7) {
      return null;
    }
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function inV4(b: number[], network: [number, number, number, number], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((b[byte] & mask) !== (network[byte] & mask)) {
      return false;
    }
  }
  return true;
}

function classifyV4Bytes(b: number[]): AddressClass {
  if (METADATA_V4.has(b.join('.'))) {
    return 'metadata';
  }
  if (b[0] === 0) {
    return 'unspecified'; // 0.0.0.0/8 "this network": connecting to it reaches the local host on Linux
  }
  if (b[0] === 127) {
    return 'loopback';
  }
  if (b[0] === 10 || inV4(b, [172, 16, 0, 0], 12) || inV4(b, [192, 168, 0, 0], 16)) {
    return 'private';
  }
  if (inV4(b, [100, 64, 0, 0], 10)) {
    return 'cgnat';
  }
  if (inV4(b, [169, 254, 0, 0], 16)) {
    return 'link-local';
  }
  if (b[0] >= 224 && b[0] <= 239) {
    return 'multicast';
  }
  if (
    b[0] >= 240 || // 240/4 reserved, 255.255.255.255 broadcast
    inV4(b, [192, 0, 0, 0], 24) || // IETF protocol assignments
    inV4(b, [192, 0, 2, 0], 24) || // TEST-NET-1
    inV4(b, [198, 51, 100, 0], 24) || // TEST-NET-2
    inV4(b, [203, 0, 113, 0], 24) || // TEST-NET-3
    inV4(b, [192, 88, 99, 0], 24) || // 6to4 relay anycast (deprecated)
    inV4(b, [198, 18, 0, 0], 15) // benchmarking
  ) {
    return 'reserved';
  }
  return 'public';
}

function v6Text(b: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  }
  return groups.join(':');
}

function allZero(b: number[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (b[i] !== 0) {
      return false;
    }
  }
  return true;
}

function classifyV6Bytes(b: number[]): AddressClass {
  if (METADATA_V6.has(v6Text(b))) {
    return 'metadata';
  }
  if (allZero(b, 0, 16)) {
    return 'unspecified';
  }
  if (allZero(b, 0, 15) && b[15] === 1) {
    return 'loopback';
  }
  // ::ffff:a.b.c.d (IPv4-mapped): the socket really talks IPv4 to a.b.c.d.
  if (allZero(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) {
    return classifyV4Bytes(b.slice(12));
  }
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765).
  if (allZero(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) {
    return classifyV4Bytes(b.slice(12));
  }
  // ::a.b.c.d (IPv4-compatible, deprecated): never a legitimate destination.
  if (allZero(b, 0, 12)) {
    const embedded = classifyV4Bytes(b.slice(12));
    return embedded === 'public' ? 'reserved' : embedded;
  }
  // 64:ff9b::/96 NAT64: the gateway forwards to the embedded IPv4 address.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && allZero(b, 4, 12)) {
    return classifyV4Bytes(b.slice(12));
  }
  // 64:ff9b:1::/48 local-use NAT64.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0x00 && b[5] === 0x01) {
    return 'private';
  }
  // 2002::/16 6to4: the embedded IPv4 address is the real peer.
  if (b[0] === 0x20 && b[1] === 0x02) {
    return classifyV4Bytes(b.slice(2, 6));
  }
  if (b[0] === 0xff) {
    return 'multicast';
  }
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) {
    return 'link-local';
  }
  if ((b[0] & 0xfe) === 0xfc || (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0)) {
    return 'private'; // fc00::/7 unique local, fec0::/10 site-local (deprecated)
  }
  if ((b[0] & 0xe0) !== 0x20) {
    return 'reserved'; // outside 2000::/3, the only global unicast space
  }
  if (
    (b[0] === 0x20 && b[1] === 0x01 && (b[2] & 0xfe) === 0x00) || // 2001::/23 IETF protocol assignments (incl. Teredo)
    (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) || // 2001:db8::/32 documentation
    (b[0] === 0x3f && b[1] === 0xff && (b[2] & 0xf0) === 0x00) // 3fff::/20 documentation
  ) {
    return 'reserved';
  }
  return 'public';
}

/** Classifies one IP address in textual form (IPv4 dotted quad or any IPv6 form). */
export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) {
    const bytes = parseIpv4(address);
    return bytes ? classifyV4Bytes(bytes) : 'invalid';
  }
  if (isIPv6(address)) {
    const bytes = parseIpv6(address);
    return bytes ? classifyV6Bytes(bytes) : 'invalid';
  }
  return 'invalid';
}
