import { hash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';

/** Marks the digests of this encoding; digests stored before it are bare hex, with no marker. */
const DIGEST_VERSION = 'v2:';

/**
 * A stable digest of a write request, stored with what the request wrote. A retry carries the same digest
 * and gets the first result back; a different request that reuses the same client id does not, and is
 * refused. Two requests match when their JSON says the same, whatever the order of their keys.
 */
export class RequestFingerprint {
  /** What is stored with the write. */
  readonly digest: string;

  constructor(private readonly request: unknown) {
    this.digest = DIGEST_VERSION + hash('sha256', writer.encode(request), 'base64url');
  }

  /** Whether a digest stored with an earlier write, by this version of Matchloop or an older one, is of this request. */
  matches(stored: string): boolean {
    if (stored.startsWith(DIGEST_VERSION)) return stored === this.digest;
    // A retry of a write stored before this encoding, e.g. replayed from a client's outbox after an upgrade.
    return stored === hash('sha256', stringify(this.request) ?? '', 'hex');
  }
}

const Tag = {
  Null: 0,
  False: 1,
  True: 2,
  Number: 3,
  String: 4,
  ArrayStart: 5,
  ObjectStart: 6,
  End: 7,
  /** A string with a lone surrogate, which UTF-8 cannot carry: its UTF-16 code units as they are. */
  Utf16String: 8,
} as const;
type Tag = (typeof Tag)[keyof typeof Tag];

/** Strings shorter than this are checked for ASCII and copied byte by byte: cheaper than a call into C++. */
const SHORT_STRING = 64;
/** In a `u` regular expression a surrogate pair reads as one code point, so this matches lone ones only. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A value in one canonical byte string: each value tagged with its type, strings prefixed with
 * their length so that no two requests run together alike, object keys sorted. Numbers go in as their eight
 * bytes rather than as text: printing the doubles of a session's sixty factor scores would take most of the
 * time a fingerprint takes.
 */
class CanonicalWriter {
  private buffer = Buffer.allocUnsafe(16 * 1024);
  private length = 0;

  /** The value's canonical bytes, valid until the next call. */
  encode(value: unknown): Buffer {
    this.length = 0;
    this.value(value);
    return this.buffer.subarray(0, this.length);
  }

  private value(value: unknown): void {
    if (typeof value === 'number') this.number(value);
    else if (typeof value === 'string') this.string(value);
    else if (typeof value === 'boolean') this.tag(value ? Tag.True : Tag.False);
    // As JSON.stringify writes an undefined array item; undefined object fields are left out before here.
    else if (value === null || value === undefined) this.tag(Tag.Null);
    else if (Array.isArray(value)) this.array(value);
    else if (typeof value === 'object') this.object(value);
    else throw new TypeError(`a request fingerprint covers JSON values only, not a ${typeof value}`);
  }

  private number(value: number): void {
    this.reserve(9);
    this.buffer[this.length] = Tag.Number;
    // As JSON does, -0 reads as 0.
    this.buffer.writeDoubleBE(value === 0 ? 0 : value, this.length + 1);
    this.length += 9;
  }

  private array(items: readonly unknown[]): void {
    this.tag(Tag.ArrayStart);
    for (const item of items) this.value(item);
    this.tag(Tag.End);
  }

  private object(fields: object): void {
    const prototype = Object.getPrototypeOf(fields);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`a request fingerprint covers JSON values only, not a ${fields.constructor.name}`);
    }
    this.tag(Tag.ObjectStart);
    const record = fields as Readonly<Record<string, unknown>>;
    for (const key of sortedInPlace(Object.keys(record))) {
      const field = record[key];
      if (field === undefined) continue;
      this.string(key);
      this.value(field);
    }
    this.tag(Tag.End);
  }

  private string(text: string): void {
    // At most three UTF-8 bytes per UTF-16 unit, after the tag and the four-byte length.
    this.reserve(5 + 3 * text.length);
    const start = this.length + 5;
    let tag: Tag = Tag.String;
    let byteLength = text.length < SHORT_STRING ? this.writeAscii(text, start) : -1;
    if (byteLength < 0) {
      // UTF-8 would write every lone surrogate as U+FFFD, and so give different strings the same bytes.
      if (LONE_SURROGATE.test(text)) tag = Tag.Utf16String;
      byteLength = this.buffer.write(text, start, tag === Tag.String ? 'utf8' : 'utf16le');
    }
    this.buffer[this.length] = tag;
    this.buffer.writeUInt32BE(byteLength, this.length + 1);
    this.length = start + byteLength;
  }

  /** The bytes written, or -1, having written part of them, if the text is not all ASCII. */
  private writeAscii(text: string, start: number): number {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0x7f) return -1;
      this.buffer[start + index] = code;
    }
    return text.length;
  }

  private tag(tag: Tag): void {
    this.reserve(1);
    this.buffer[this.length++] = tag;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/**
 * Keys up to this many are sorted by insertion: Array.prototype.sort sets up a work area on every call, and
 * the couple of dozen small objects of a session's request made it a twelfth of all a start allocated.
 * Insertion sort takes time quadratic in the keys, so larger objects, e.g. a client's metadata, go to sort.
 */
const INSERTION_SORTED_KEYS = 16;

function sortedInPlace(keys: string[]): string[] {
  if (keys.length > INSERTION_SORTED_KEYS) return keys.sort();
  for (let sorted = 1; sorted < keys.length; sorted++) {
    const key = keys[sorted] as string;
    let at = sorted;
    for (; at > 0 && (keys[at - 1] as string) > key; at--) keys[at] = keys[at - 1] as string;
    keys[at] = key;
  }
  return keys;
}

/** One writer for the process: a fingerprint is taken synchronously, start to end, so none overlap. */
const writer = new CanonicalWriter();
