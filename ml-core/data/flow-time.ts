/**
 * Flow timestamps as found in flow files -> ms since the epoch (UTC). Pure functions.
 *
 * Styles read:
 *  - "2017-07-07 12:59:45", "2017-07-07 12:59:45.123456", ISO "2017-07-07T12:59:45Z" /
 *    "...+02:00" (an explicit offset is applied; none means UTC), "2017-07-07" (midnight)
 *  - US month/day/year as in CICIDS2017 GeneratedLabelledFlows: "7/7/2017 8:59",
 *    "07/07/2017 08:59:01 AM", "7/7/17 8:59:01.5 pm"; a first number above 12 is read as the day
 *    (day/month/year). Without AM/PM the hour is taken as 24-hour: the original CICIDS2017 files
 *    write afternoon hours without a marker ("1:05" for 13:05), which no parser can tell apart.
 *  - epoch numbers: seconds (Zeek `ts` 1331901000.123, UNSW-NB15 `stime`), milliseconds (>= 1e11),
 *    microseconds (>= 1e14), nanoseconds (>= 1e17). Small numbers (Zeek logs of a capture replayed
 *    from time 0, e.g. 928.94) are seconds too: what matters for pacing is their differences.
 * Everything else is NaN. Fractions of a millisecond are kept (the result is a float).
 */

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?$/;
const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An epoch number in seconds, ms, µs or ns (told apart by magnitude) -> ms. NaN stays NaN. */
export function epochToMs(n: number): number {
  if (!Number.isFinite(n)) return NaN;
  const a = Math.abs(n);
  if (a >= 1e17) return n / 1e6;
  if (a >= 1e14) return n / 1e3;
  if (a >= 1e11) return n;
  return n * 1000;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls over (Feb 30 -> Mar 2): refuse dates that do not exist
  const check = new Date(t);
  if (check.getUTCDate() !== d) return NaN;
  return frac ? t + Number(frac) * 1000 : t;
}

function offsetMs(zone: string | undefined): number {
  if (!zone) return 0;
  const c = zone[0];
  if (c !== '+' && c !== '-') return 0; // Z, UTC, GMT
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  const off = (h * 60 + m) * 60000;
  return c === '+' ? off : -off;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** days since 1970-01-01 of a proleptic Gregorian date (month 1-12) */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The common 'YYYY-MM-DD HH:MM:SS[.fff]' (CICFlowMeter) without a regular expression or a Date:
 * live sources parse one per flow. undefined when the string is not exactly that shape.
 */
function fastIso(t: string): number | undefined {
  const n = t.length;
  if (n < 19 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return undefined;
  const sep = t.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return undefined;
  const y = digits(t, 0, 4);
  const mo = digits(t, 5, 2);
  const d = digits(t, 8, 2);
  const h = digits(t, 11, 2);
  const mi = digits(t, 14, 2);
  const sec = digits(t, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return undefined;
  const leap = mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  if (d > DAYS_IN_MONTH[mo - 1]! + leap) return NaN;
  let ms = 0;
  let end = 19;
  if (n > 19 && t.charCodeAt(19) === 46) {
    let scale = 100;
    end = 20;
    while (end < n) {
      const c = t.charCodeAt(end) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
      end++;
    }
  }
  if (end !== n && !(end === n - 1 && (t.charCodeAt(end) === 90 || t.charCodeAt(end) === 122))) return undefined;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
}

/** A flow timestamp -> ms since the epoch (UTC); NaN when it is empty or not a known style. */
export function parseFlowTime(s: string): number {
  const fast = fastIso(s);
  if (fast !== undefined) return fast;
  const t = s.trim();
  if (t === '' || t === '-') return NaN;
  const c = t.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45) {
    if (NUM.test(t)) return epochToMs(Number(t));
  }
  let m = ISO.exec(t);
  if (m) {
    const v = utc(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7]);
    return v - offsetMs(m[8]);
  }
  m = US.exec(t);
  if (m) {
    let a = +m[1];
    let b = +m[2];
    if (a > 12 && b <= 12) [a, b] = [b, a]; // day/month/year
    let y = +m[3];
    if (m[3].length === 2) y += 2000;
    let h = m[4] ? +m[4] : 0;
    const ampm = m[8]?.[0]?.toLowerCase();
    if (ampm) {
      if (h < 1 || h > 12) return NaN;
      if (ampm === 'a') h = h === 12 ? 0 : h;
      else h = h === 12 ? 12 : h + 12;
    }
    return utc(y, a, b, h, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7]);
  }
  return NaN;
}

/** parseFlowTime of every value of a dictionary (each distinct string parsed once). */
export function parseFlowTimes(values: readonly string[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = parseFlowTime(values[i]);
  return out;
}

/**
 * A timestamp cell straight from the bytes of a record -> ms since the epoch (NaN when empty or
 * unreadable): 'YYYY-MM-DD HH:MM:SS[.fff]' without a string; any other style through
 * parseFlowTime. For readers that store a text time column as numbers.
 */
export function parseTimeBytes(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n >= 19 && buf[s + 4] === 45 && buf[s + 7] === 45 && (buf[s + 10] === 32 || buf[s + 10] === 84) && buf[s + 13] === 58 && buf[s + 16] === 58) {
    const dig = (at: number, len: number): number => {
      let v = 0;
      for (let i = s + at; i < s + at + len; i++) {
        const c = buf[i]! - 48;
        if (c < 0 || c > 9) return -1;
        v = v * 10 + c;
      }
      return v;
    };
    const y = dig(0, 4);
    const mo = dig(5, 2);
    const d = dig(8, 2);
    const h = dig(11, 2);
    const mi = dig(14, 2);
    const sec = dig(17, 2);
    let ok = y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60;
    let ms = 0;
    let k = s + 19;
    if (ok && k < e && buf[k] === 46) {
      let scale = 100;
      k++;
      while (k < e) {
        const c = buf[k]! - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        k++;
      }
    }
    if (ok && k < e && (buf[k] === 90 || buf[k] === 122) && k + 1 === e) k++;
    if (ok && k === e) {
      const leap = mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
      if (d > DAYS_IN_MONTH[mo - 1]! + leap) return NaN;
      return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
    }
    ok = false;
  }
  if (n <= 0) return NaN;
  let text = '';
  for (let i = s; i < e; i++) text += String.fromCharCode(buf[i]!);
  return parseFlowTime(text);
}

