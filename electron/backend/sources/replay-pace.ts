/**
 * Pacing of a replay: how long to wait before emitting each flow so that flows come out at the
 * speed chosen.
 *
 *  - a number N (1 = real time): the flows follow their own timestamps, N times faster, measured
 *    from the first flow (the anchor: flow time t0 emitted at wall time w0; flow t is due at
 *    w0 + (t - t0) / N).
 *  - Idle gaps are cut: when the wall-clock wait between one flow and the next would exceed
 *    MAX_GAP_MS (5 s) at the chosen speed, the next flow is due 5 s after the previous one and the
 *    schedule is re-anchored there, so replaying a capture with idle hours does not stall.
 *  - Time going backwards (files concatenated, unsorted rows): no wait; the schedule re-anchors
 *    at that flow.
 *  - A consumer running late catches up without waiting; more than MAX_GAP_MS late, the schedule
 *    re-anchors at the current flow (no endless burst after a stall).
 *  - 'max' never waits; a flow without a time (NaN) never waits and does not move the schedule.
 */

export const MAX_GAP_MS = 5000;

export class Pacer {
  readonly speed: 'max' | number;
  private anchorFlow = NaN;
  private anchorWall = 0;
  private lastFlow = NaN;

  constructor(speed: 'max' | number) {
    if (speed !== 'max' && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) {
      throw new RangeError(`replay speed must be 'max' or a positive number, not ${String(speed)}`);
    }
    this.speed = speed;
  }

  /** ms to wait before emitting a flow with this flow time (NaN time: no wait). */
  delayFor(flowTimeMs: number, nowMs: number): number {
    if (this.speed === 'max' || !Number.isFinite(flowTimeMs)) return 0;
    const speed = this.speed;
    if (Number.isNaN(this.anchorFlow) || flowTimeMs < this.lastFlow) {
      this.anchor(flowTimeMs, nowMs);
      return 0;
    }
    const gap = (flowTimeMs - this.lastFlow) / speed;
    if (gap > MAX_GAP_MS) {
      const prevDue = this.anchorWall + (this.lastFlow - this.anchorFlow) / speed;
      this.anchorFlow = flowTimeMs;
      this.anchorWall = prevDue + MAX_GAP_MS;
    }
    this.lastFlow = flowTimeMs;
    const due = this.anchorWall + (flowTimeMs - this.anchorFlow) / speed;
    const wait = due - nowMs;
    if (wait < -MAX_GAP_MS) {
      this.anchor(flowTimeMs, nowMs);
      return 0;
    }
    return wait > 0 ? wait : 0;
  }

  /** Forgets the schedule: the next flow is emitted at once and anchors it again. */
  reset(): void {
    this.anchorFlow = NaN;
    this.lastFlow = NaN;
  }

  private anchor(flowTimeMs: number, nowMs: number): void {
    this.anchorFlow = flowTimeMs;
    this.anchorWall = nowMs;
    this.lastFlow = flowTimeMs;
  }
}
