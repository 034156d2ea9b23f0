package dev.meridian.agent.replication;

import dev.meridian.core.state.LogPosition;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a region that merged a peer's snapshot resumes the log, per partition. Pure.
 *
 * <p>After the merge its registers hold every event before its own offset and every event before the peer's,
 * hence every event before the larger of the two: that is where it resumes. A partition neither has an offset
 * for keeps none, so replay starts at its earliest record (nothing of it is in either state). Re-reading events
 * already merged is harmless (merging is order-free and idempotent); skipping one is not, so the choice never
 * goes past what both sides know.
 */
public final class SeedOffsets {
  private SeedOffsets() {}

  public static Map<LogPosition, Long> choose(Map<LogPosition, Long> local, Map<LogPosition, Long> peer) {
    Map<LogPosition, Long> chosen = new TreeMap<>(local);
    peer.forEach((position, next) -> chosen.merge(position, next, Math::max));
    return chosen;
  }
}
