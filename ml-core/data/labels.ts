/**
 * Label cleaning and the three targets (label, category, binary) of every known layout.
 * Pure functions over label names: the importer calls them once per distinct raw name, never per row.
 */
import type { LabelScheme, TargetMaps, TargetName } from './types.js';

/**
 * NSL-KDD attack name -> category (DARPA 1998/1999 classes), including the attacks that occur only
 * in KDDTest+ (apache2, mscan, processtable, snmpguess, ...). Same map as the peers' common.py.
 */
export const NSL_KDD_CATEGORY: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = { normal: 'normal' };
  const groups: Record<string, string> = {
    DoS: 'back land neptune pod smurf teardrop apache2 mailbomb processtable udpstorm',
    Probe: 'ipsweep nmap portsweep satan mscan saint',
    R2L:
      'ftp_write guess_passwd imap multihop phf spy warezclient warezmaster named sendmail ' +
      'snmpgetattack snmpguess worm xlock xsnoop',
    U2R: 'buffer_overflow loadmodule perl rootkit ps sqlattack xterm httptunnel',
  };
  for (const [category, names] of Object.entries(groups)) {
    for (const name of names.split(' ')) out[name] = category;
  }
  return out;
})();

/** The nine UNSW-NB15 attack families plus Normal, in their usual spelling. */
export const UNSW_NB15_CATEGORIES = [
  'Normal',
  'Generic',
  'Exploits',
  'Fuzzers',
  'DoS',
  'Reconnaissance',
  'Analysis',
  'Backdoor',
  'Shellcode',
  'Worms',
] as const;

/** Words meaning "not an attack" in the known datasets (compared case-insensitively). */
const BENIGN_WORDS = new Set(['normal', 'benign', 'legitimate', 'background', '0']);

/** True for a label that means benign traffic in any known layout (normal, BENIGN, Benign, 0, ...). */
export function isBenignWord(label: string): boolean {
  return BENIGN_WORDS.has(label.trim().toLowerCase());
}

/** Dash look-alikes seen in label cells: U+FFFD (lost cp1252 0x96), en/em dashes, minus, C1 0x96. */
const DASH_LIKE = /[\uFFFD\u2010-\u2015\u2212\u0096]+|â€“|â€”/g;

/**
 * The cleaned form of one raw label name: trimmed, inner whitespace collapsed, garbled or typographic
 * dashes unified to ' - ' (e.g. 'Web Attack \uFFFD Brute Force' -> 'Web Attack - Brute Force'), plus
 * the scheme's own fixes (NSL-KDD / KDD'99 trailing '.', UNSW-NB15 empty -> Normal and 'Backdoors',
 * IoT-23 'benign' -> 'Benign'). May return '' for an empty non-UNSW label.
 */
export function cleanLabel(raw: string, scheme: LabelScheme): string {
  let s = raw.replace(/^\uFEFF/, '');
  s = s.replace(DASH_LIKE, ' - ');
  s = s.replace(/\s+/g, ' ').trim();
  // "Web Attack -  XSS" / "Web Attack- XSS": one space each side of a dash that separates words
  s = s.replace(/(?<=\S) ?- ?(?=\S)/g, (m) => (m.length > 1 ? ' - ' : m));
  switch (scheme) {
    case 'nsl-kdd':
      if (s.endsWith('.')) s = s.slice(0, -1);
      break;
    case 'unsw-nb15': {
      if (s === '' || s === '-') return 'Normal';
      const known = UNSW_NB15_CATEGORIES.find((c) => c.toLowerCase() === s.toLowerCase());
      if (known) return known;
      if (s.toLowerCase() === 'backdoors') return 'Backdoor';
      break;
    }
    case 'iot-23': {
      const lower = s.toLowerCase();
      if (lower === 'benign') return 'Benign';
      if (lower === 'malicious') return 'Malicious';
      break;
    }
    default:
      break;
  }
  return s;
}

/** CICIDS2017 (original and corrected) and CSE-CIC-IDS2018 label -> attack family. */
export function cicidsCategory(label: string): string | null {
  const s = label
    .replace(/\s+-\s+Attempted$/i, '') // corrected CICIDS2017: "DoS Hulk - Attempted"
    .toLowerCase();
  if (s === 'benign' || s === 'normal') return 'Benign';
  if (/^ddos\b/.test(s)) return 'DDoS'; // DDoS, "DDoS attacks-LOIC-HTTP", "DDOS attack-HOIC"
  if (/^dos\b/.test(s)) return 'DoS'; // DoS Hulk/GoldenEye/slowloris/Slowhttptest, "DoS attacks-Hulk"
  if (s === 'portscan' || s === 'port scan') return 'PortScan';
  if (/^infilt(e)?ration/.test(s)) return 'Infiltration'; // incl. "Infiltration - Portscan", 2018 "Infilteration"
  if (/^(ftp|ssh)-(patator|bruteforce|brute force)$/.test(s)) return 'Brute Force';
  if (/^web attack\b/.test(s)) return 'Web Attack';
  if (s === 'brute force -web' || s === 'brute force - web' || s === 'brute force -xss' || s === 'brute force - xss') {
    return 'Web Attack'; // CSE-CIC-IDS2018
  }
  if (s === 'sql injection' || s === 'xss') return 'Web Attack';
  if (s === 'bot' || s === 'botnet' || s === 'botnet ares') return 'Botnet';
  if (s === 'heartbleed') return 'Heartbleed';
  return null;
}

/** The category of one cleaned label (null when the scheme does not know the name). */
export function knownCategory(label: string, scheme: LabelScheme): string | null {
  switch (scheme) {
    case 'nsl-kdd':
      return NSL_KDD_CATEGORY[label.toLowerCase()] ?? null;
    case 'cicids':
      return cicidsCategory(label);
    case 'unsw-nb15': {
      const known = UNSW_NB15_CATEGORIES.find((c) => c.toLowerCase() === label.toLowerCase());
      return known ?? null;
    }
    case 'iot-23':
      return label === 'Benign' || label === 'Malicious' ? label : null;
    case 'generic':
      return label;
  }
}

/** 'benign' or 'attack' for a cleaned label (and its category, when known). */
export function binaryOf(label: string, category?: string): 'benign' | 'attack' {
  if (isBenignWord(label)) return 'benign';
  if (category !== undefined && isBenignWord(category)) return 'benign';
  return 'attack';
}

/**
 * Target maps for the cleaned label names of an import. `categoryOverride` gives the category of
 * names whose family is not written in the name itself (IoT-23: detailed label -> base label).
 * Names no map knows keep themselves as category and count as attacks unless they are a benign word.
 */
export function buildTargets(
  labelColumn: string,
  labels: readonly string[],
  scheme: LabelScheme,
  categoryOverride: Readonly<Record<string, string>> = {},
): { targets: TargetMaps; unknown: string[] } {
  const category: Record<string, string> = {};
  const binary: Record<string, 'benign' | 'attack'> = {};
  const unknown: string[] = [];
  for (const name of labels) {
    let cat = categoryOverride[name] ?? knownCategory(name, scheme);
    if (cat === null) {
      unknown.push(name);
      cat = name;
    }
    category[name] = cat;
    binary[name] = binaryOf(name, cat);
  }
  return { targets: { labelColumn, label: [...labels], category, binary }, unknown };
}

/** Rows per class of each target, from rows per label code. */
export function countTargets(
  targets: TargetMaps,
  rowsPerLabel: ArrayLike<number>,
): Record<TargetName, Record<string, number>> {
  const label: Record<string, number> = {};
  const category: Record<string, number> = {};
  const binary: Record<string, number> = {};
  for (let code = 0; code < targets.label.length; code++) {
    const n = rowsPerLabel[code] ?? 0;
    if (n === 0) continue;
    const name = targets.label[code];
    label[name] = (label[name] ?? 0) + n;
    const cat = targets.category[name];
    category[cat] = (category[cat] ?? 0) + n;
    const bin = targets.binary[name];
    binary[bin] = (binary[bin] ?? 0) + n;
  }
  return { label, category, binary };
}
