/**
 * The wall clock with sub-millisecond resolution, for time services (SNTP wants
 * microseconds; Date.now() has milliseconds). It follows performance.now() between reads
 * of Date.now(), and re-anchors whenever the two drift apart by more than a millisecond,
 * so a step of the system clock (chrony, ntpdate, an admin) is followed at once.
 */
let anchorWallMs = Date.now();
let anchorPerfMs = performance.now();

export function wallClockMs(): number {
  const perf = performance.now();
  const estimate = anchorWallMs + (perf - anchorPerfMs);
  const wall = Date.now();
  // Date.now() truncates, so the estimate may lead it by up to 1 ms; anything else is a step.
  if (estimate < wall || estimate >= wall + 1) {
    anchorWallMs = wall;
    anchorPerfMs = perf;
    return wall;
  }
  return estimate;
}
