/**
 * The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) and cel-go extensions the
 * API server offers to CRD validation rules, each with the first Kubernetes version whose
 * API server accepts it in a new rule. Declared with their signatures (for type checking)
 * and implemented (for evaluation).
 *
 * Namespaced functions (`sets.contains`, `format.dns1123Label`) are methods of a constant
 * (`sets`, `format`) of an opaque type: the parser reads `sets.contains(a, b)` as a call on
 * the identifier `sets`.
 */
import { isIP, isIPv4 } from 'node:net';
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { celCompare, celEquals } from './values.ts';

/** One library and the first Kubernetes minor version that accepts it in new rules. */
export interface KubernetesLibrary {
  readonly name: string;
  readonly since: string;
  /** The functions a rule can call, for messages and docs. */
  readonly functions: readonly string[];
  register(env: Environment): void;
}

class UrlValue {
  readonly url: URL;
  constructor(url: URL) {
    this.url = url;
  }
}
class QuantityValue {
  readonly value: number;
  readonly integral: boolean;
  constructor(value: number, integral: boolean) {
    this.value = value;
    this.integral = integral;
  }
}
class IpValue {
  readonly address: string;
  constructor(address: string) {
    this.address = address;
  }
}
class CidrValue {
  readonly address: string;
  readonly prefix: number;
  constructor(address: string, prefix: number) {
    this.address = address;
    this.prefix = prefix;
  }
}
class NamedFormat {
  readonly name: string;
  readonly check: (value: string) => readonly string[];
  constructor(name: string, check: (value: string) => readonly string[]) {
    this.name = name;
    this.check = check;
  }
}
/** The receivers of namespaced functions: `sets.contains(...)` is a method of `sets`. */
class Namespace {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}
class SetsNamespace extends Namespace {}
class FormatNamespace extends Namespace {}
class IpNamespace extends Namespace {}

function failure(message: string): Error {
  return new Error(message);
}

const lists: KubernetesLibrary = {
  name: 'lists',
  since: '1.25',
  functions: ['isSorted', 'sum', 'min', 'max', 'indexOf', 'lastIndexOf'],
  register(env) {
    env.registerFunction('list<A>.isSorted(): bool', (l: unknown[]) =>
      l.every((x, i) => i === 0 || celCompare(l[i - 1], x) <= 0),
    );
    env.registerFunction('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => a + b, 0n));
    env.registerFunction('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0));
    for (const name of ['min', 'max'] as const) {
      env.registerFunction(`list<A>.${name}(): A`, (l: unknown[]) => {
        if (l.length === 0) throw failure(`${name} called on empty list`);
        return l.reduce((a, b) => ((name === 'min' ? celCompare(b, a) < 0 : celCompare(b, a) > 0) ? b : a));
      });
    }
    env.registerFunction('list<A>.indexOf(A): int', (l: unknown[], x: unknown) =>
      BigInt(l.findIndex((y) => celEquals(x, y))),
    );
    env.registerFunction('list<A>.lastIndexOf(A): int', (l: unknown[], x: unknown) =>
      BigInt(l.findLastIndex((y) => celEquals(x, y))),
    );
  },
};

const strings: KubernetesLibrary = {
  name: 'strings',
  since: '1.25',
  functions: ['charAt', 'replace'],
  register(env) {
    env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const chars = Array.from(s); // code points, as cel-go's strings are
      if (i < 0n || i > BigInt(chars.length)) throw failure(`index out of range: ${i}`);
      return chars[Number(i)] ?? '';
    });
    env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      s.replaceAll(a, b),
    );
    env.registerFunction(
      'string.replace(string, string, int): string',
      (s: string, a: string, b: string, n: bigint) => {
        let out = s;
        let from = 0;
        for (let i = 0n; n < 0n || i < n; i++) {
          const at = out.indexOf(a, from);
          if (at < 0) break;
          out = out.slice(0, at) + b + out.slice(at + a.length);
          from = at + b.length;
        }
        return out;
      },
    );
  },
};

const regex: KubernetesLibrary = {
  name: 'regex',
  since: '1.25',
  functions: ['find', 'findAll'],
  register(env) {
    env.registerFunction(
      'string.find(string): string',
      (s: string, re: string) => new RegExp(re, 'u').exec(s)?.[0] ?? '',
    );
    env.registerFunction('string.findAll(string): list<string>', (s: string, re: string) =>
      [...s.matchAll(new RegExp(re, 'gu'))].map((m) => m[0]),
    );
    env.registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => {
      const all = [...s.matchAll(new RegExp(re, 'gu'))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    });
  },
};

function parseUrl(s: string): URL | undefined {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s) && !s.startsWith('/')) return undefined;
  try {
    return new URL(s, s.startsWith('/') ? 'relative:///' : undefined);
  } catch {
    return undefined;
  }
}

const urls: KubernetesLibrary = {
  name: 'urls',
  since: '1.25',
  functions: ['url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery'],
  register(env) {
    env.registerType('kubernetes.URL', UrlValue);
    env.registerFunction('url(string): kubernetes.URL', (s: string) => {
      const url = parseUrl(s);
      if (!url) throw failure(`URL parse error during conversion from string: ${s}`);
      return new UrlValue(url);
    });
    env.registerFunction('isURL(string): bool', (s: string) => parseUrl(s) !== undefined);
    const getters: Record<string, (u: URL) => string> = {
      getScheme: (u) => (u.protocol === 'relative:' ? '' : u.protocol.slice(0, -1)),
      getHost: (u) => u.host,
      getHostname: (u) => u.hostname.replace(/^\[(.*)\]$/, '$1'),
      getPort: (u) => u.port,
      getEscapedPath: (u) => u.pathname,
    };
    for (const [name, get] of Object.entries(getters)) {
      env.registerFunction(`kubernetes.URL.${name}(): string`, (u: UrlValue) => get(u.url));
    }
    env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: UrlValue) => {
      const query: Record<string, string[]> = {};
      for (const [k, v] of u.url.searchParams) (query[k] ??= []).push(v);
      return query;
    });
  },
};

const quantitySuffixes: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

function parseQuantity(s: string): QuantityValue | undefined {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(
    s,
  );
  if (!match) return undefined;
  const value =
    Number(match[1]) * (match[2] ? 10 ** Number(match[2].slice(1)) : (quantitySuffixes[match[3] ?? ''] ?? 1));
  return new QuantityValue(value, Number.isInteger(value));
}

const quantity: KubernetesLibrary = {
  name: 'quantity',
  since: '1.29',
  functions: [
    'quantity',
    'isQuantity',
    'isInteger',
    'asInteger',
    'asApproximateFloat',
    'sign',
    'add',
    'sub',
    'isGreaterThan',
    'isLessThan',
    'compareTo',
  ],
  register(env) {
    const Q = 'kubernetes.Quantity';
    env.registerType(Q, QuantityValue);
    env.registerFunction(`quantity(string): ${Q}`, (s: string) => {
      const q = parseQuantity(s);
      if (!q)
        throw failure(
          `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
        );
      return q;
    });
    env.registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined);
    env.registerFunction(`${Q}.isInteger(): bool`, (q: QuantityValue) => q.integral);
    env.registerFunction(`${Q}.asInteger(): int`, (q: QuantityValue) => {
      if (!q.integral) throw failure('cannot convert value to integer');
      return BigInt(q.value);
    });
    env.registerFunction(`${Q}.asApproximateFloat(): double`, (q: QuantityValue) => q.value);
    env.registerFunction(`${Q}.sign(): int`, (q: QuantityValue) => BigInt(Math.sign(q.value)));
    const make = (v: number): QuantityValue => new QuantityValue(v, Number.isInteger(v));
    env.registerFunction(`${Q}.add(${Q}): ${Q}`, (a: QuantityValue, b: QuantityValue) =>
      make(a.value + b.value),
    );
    env.registerFunction(`${Q}.add(int): ${Q}`, (a: QuantityValue, b: bigint) => make(a.value + Number(b)));
    env.registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: QuantityValue, b: QuantityValue) =>
      make(a.value - b.value),
    );
    env.registerFunction(`${Q}.sub(int): ${Q}`, (a: QuantityValue, b: bigint) => make(a.value - Number(b)));
    env.registerFunction(
      `${Q}.isGreaterThan(${Q}): bool`,
      (a: QuantityValue, b: QuantityValue) => a.value > b.value,
    );
    env.registerFunction(
      `${Q}.isLessThan(${Q}): bool`,
      (a: QuantityValue, b: QuantityValue) => a.value < b.value,
    );
    env.registerFunction(`${Q}.compareTo(${Q}): int`, (a: QuantityValue, b: QuantityValue) =>
      BigInt(Math.sign(a.value - b.value)),
    );
    env.registerOperator(`${Q} == ${Q}`, (a: QuantityValue, b: QuantityValue) => a.value === b.value);
  },
};

const sets: KubernetesLibrary = {
  name: 'sets',
  since: '1.30',
  functions: ['sets.contains', 'sets.equivalent', 'sets.intersects'],
  register(env) {
    env.registerType('kubernetes.Sets', SetsNamespace);
    env.registerConstant('sets', 'kubernetes.Sets', new SetsNamespace('sets'));
    const has = (l: unknown[], x: unknown): boolean => l.some((y) => celEquals(x, y));
    env.registerFunction(
      'kubernetes.Sets.contains(list<A>, list<A>): bool',
      (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)),
    );
    env.registerFunction(
      'kubernetes.Sets.equivalent(list<A>, list<A>): bool',
      (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)) && a.every((x) => has(b, x)),
    );
    env.registerFunction(
      'kubernetes.Sets.intersects(list<A>, list<A>): bool',
      (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => has(a, x)),
    );
  },
};

function parseIp(s: string): IpValue | undefined {
  if (!isIP(s) || s.includes('%') || /^::ffff:\d/.test(s)) return undefined;
  return new IpValue(s);
}

function parseCidr(s: string): CidrValue | undefined {
  const [address = '', prefix, ...rest] = s.split('/');
  if (rest.length > 0 || prefix === undefined || !/^\d+$/.test(prefix) || !parseIp(address)) return undefined;
  const bits = Number(prefix);
  if (bits > (isIPv4(address) ? 32 : 128)) return undefined;
  return new CidrValue(address, bits);
}

function ipBits(address: string): bigint {
  if (isIPv4(address)) return address.split('.').reduce((a, p) => (a << 8n) | BigInt(p), 0n);
  const [head = '', tail = ''] = address.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function cidrContains(cidr: CidrValue, address: string, prefix: number): boolean {
  if (isIPv4(cidr.address) !== isIPv4(address) || prefix < cidr.prefix) return false;
  const width = isIPv4(address) ? 32n : 128n;
  const shift = width - BigInt(cidr.prefix);
  return ipBits(cidr.address) >> shift === ipBits(address) >> shift;
}

const ip: KubernetesLibrary = {
  name: 'ip and cidr',
  since: '1.31',
  functions: [
    'ip',
    'isIP',
    'ip.isCanonical',
    'family',
    'isLoopback',
    'isUnspecified',
    'isGlobalUnicast',
    'cidr',
    'isCIDR',
    'containsIP',
    'containsCIDR',
    'prefixLength',
    'masked',
  ],
  register(env) {
    const IP = 'net.IP';
    const CIDR = 'net.CIDR';
    env.registerType(IP, IpValue);
    env.registerType(CIDR, CidrValue);
    env.registerType('kubernetes.IPNamespace', IpNamespace);
    env.registerConstant('ip', 'kubernetes.IPNamespace', new IpNamespace('ip'));
    env.registerFunction(`ip(string): ${IP}`, (s: string) => {
      const value = parseIp(s);
      if (!value) throw failure(`IP Address '${s}' parse error during conversion from string`);
      return value;
    });
    env.registerFunction('isIP(string): bool', (s: string) => parseIp(s) !== undefined);
    env.registerFunction('kubernetes.IPNamespace.isCanonical(string): bool', (_: unknown, s: string) => {
      if (!parseIp(s)) throw failure(`IP Address '${s}' parse error during conversion from string`);
      return isIPv4(s)
        ? true
        : s === s.toLowerCase() && !/(^|:)0+[0-9a-f]/.test(s.replace(/(^|:)0(?=:|$)/g, '$1'));
    });
    env.registerFunction(`${IP}.family(): int`, (v: IpValue) => (isIPv4(v.address) ? 4n : 6n));
    env.registerFunction(
      `${IP}.isLoopback(): bool`,
      (v: IpValue) => v.address === '::1' || v.address.startsWith('127.'),
    );
    env.registerFunction(`${IP}.isUnspecified(): bool`, (v: IpValue) => ipBits(v.address) === 0n);
    env.registerFunction(
      `${IP}.isGlobalUnicast(): bool`,
      (v: IpValue) =>
        !(
          ipBits(v.address) === 0n ||
          v.address === '::1' ||
          v.address.startsWith('127.') ||
          /^(169\.254\.|fe80:|2(2[4-9]|3\d)\.|ff)/i.test(v.address) ||
          v.address === '255.255.255.255'
        ),
    );
    env.registerFunction(`string(${IP}): string`, (v: IpValue) => v.address);
    env.registerOperator(
      `${IP} == ${IP}`,
      (a: IpValue, b: IpValue) =>
        ipBits(a.address) === ipBits(b.address) && isIPv4(a.address) === isIPv4(b.address),
    );
    env.registerFunction(`cidr(string): ${CIDR}`, (s: string) => {
      const value = parseCidr(s);
      if (!value) throw failure(`network address parse error during conversion from string: ${s}`);
      return value;
    });
    env.registerFunction('isCIDR(string): bool', (s: string) => parseCidr(s) !== undefined);
    env.registerFunction(`${CIDR}.containsIP(string): bool`, (c: CidrValue, s: string) => {
      const value = parseIp(s);
      if (!value) throw failure(`IP Address '${s}' parse error during conversion from string`);
      return cidrContains(c, value.address, isIPv4(value.address) ? 32 : 128);
    });
    env.registerFunction(`${CIDR}.containsIP(${IP}): bool`, (c: CidrValue, v: IpValue) =>
      cidrContains(c, v.address, isIPv4(v.address) ? 32 : 128),
    );
    env.registerFunction(`${CIDR}.containsCIDR(string): bool`, (c: CidrValue, s: string) => {
      const other = parseCidr(s);
      if (!other) throw failure(`network address parse error during conversion from string: ${s}`);
      return cidrContains(c, other.address, other.prefix);
    });
    env.registerFunction(`${CIDR}.containsCIDR(${CIDR}): bool`, (c: CidrValue, o: CidrValue) =>
      cidrContains(c, o.address, o.prefix),
    );
    env.registerFunction(`${CIDR}.ip(): ${IP}`, (c: CidrValue) => new IpValue(c.address));
    env.registerFunction(`${CIDR}.prefixLength(): int`, (c: CidrValue) => BigInt(c.prefix));
    env.registerFunction(`string(${CIDR}): string`, (c: CidrValue) => `${c.address}/${c.prefix}`);
  },
};

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const namedFormats: Record<string, (s: string) => readonly string[]> = {
  dns1123Label: (s) =>
    s.length <= 63 && dns1123Label.test(s)
      ? []
      : [
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        ],
  dns1123Subdomain: (s) =>
    s.length <= 253 && dns1123Subdomain.test(s)
      ? []
      : [
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        ],
  dns1035Label: (s) =>
    s.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s)
      ? []
      : [
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        ],
  qualifiedName: (s) =>
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(
      s,
    )
      ? []
      : [
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ],
  labelValue: (s) =>
    s === '' || (s.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(s))
      ? []
      : [
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ],
  uri: (s) => (parseUrl(s) ? [] : ['must be a valid URI']),
  uuid: (s) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ? [] : ['must be a valid UUID'],
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['must be base64 encoded']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? [] : ['must be a valid date']),
  datetime: (s) =>
    !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s) ? [] : ['must be a valid date-time'],
};

const format: KubernetesLibrary = {
  name: 'format',
  since: '1.32',
  functions: Object.keys(namedFormats)
    .map((n) => `format.${n}`)
    .concat('format.named', 'validate'),
  register(env) {
    const F = 'kubernetes.NamedFormat';
    env.registerType(F, NamedFormat);
    env.registerType('kubernetes.Formats', FormatNamespace);
    env.registerConstant('format', 'kubernetes.Formats', new FormatNamespace('format'));
    for (const [name, check] of Object.entries(namedFormats)) {
      env.registerFunction(`kubernetes.Formats.${name}(): ${F}`, () => new NamedFormat(name, check));
    }
    env.registerFunction(`kubernetes.Formats.named(string): optional<${F}>`, (_: unknown, name: string) => {
      const check = namedFormats[name];
      return check ? Optional.of(new NamedFormat(name, check)) : Optional.none();
    });
    env.registerFunction(`${F}.validate(string): optional<list<string>>`, (f: NamedFormat, s: string) => {
      const errors = f.check(s);
      return errors.length === 0 ? Optional.none() : Optional.of([...errors]);
    });
  },
};

/** Every library, oldest first. */
export const kubernetesLibraries: readonly KubernetesLibrary[] = [
  lists,
  strings,
  regex,
  urls,
  quantity,
  sets,
  ip,
  format,
];

/** CEL optional types (`self.?field`, `optional.of`): accepted in new rules from 1.29. */
export const optionalTypesSince = '1.29';
