/**
 * Severity of an alert from its class and score. The class sets the level an analyst would give
 * the attack family (code execution and data theft above denial of service above reconnaissance);
 * a score under 0.6 (the model was not sure) lowers it one step.
 */
import type { Severity } from '../../contract/live.js';
import { SEVERITIES } from '../../contract/live.js';

const FAMILIES: Array<[RegExp, Severity]> = [
  [/heartbleed|infiltrat|backdoor|shellcode|worm|u2r|bot|ransom|exfil|c&c|c2\b/i, 'critical'],
  [/ddos|dos|hulk|goldeneye|slowloris|slowhttp|exploit|sql|xss|web.?attack|r2l|brute|patator|ftp|ssh|telnet|generic|mirai|malware/i, 'high'],
  [/scan|probe|recon|fuzzer|analysis|sweep|nmap/i, 'medium'],
];

/** The level of a class name before its score is looked at ('medium' for unknown names and anomalies). */
export function classSeverity(className: string): Severity {
  for (const [re, level] of FAMILIES) if (re.test(className)) return level;
  return 'medium';
}

export function severityOf(className: string, score: number): Severity {
  const base = SEVERITIES.indexOf(classSeverity(className));
  const level = score < 0.6 ? Math.max(0, base - 1) : base;
  return SEVERITIES[level]!;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
