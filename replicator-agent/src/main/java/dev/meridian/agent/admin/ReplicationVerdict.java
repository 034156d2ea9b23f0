package dev.meridian.agent.admin;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import java.util.Optional;

/**
 * Decides whether a region holds "the" image a reference names, as the asking region means it. Pure.
 *
 * <p>A digest names one image: a region's own status is the answer. A tag names whatever it points to, and
 * regions may disagree while a write travels, so the asking region's view decides: its tag register's
 * digest {@code E} (its winning write; right after a push there, the pushed digest) and stamp {@code S}.
 * A region is then:
 *
 * <ul>
 *   <li>{@code complete} if a pull of the tag there gets {@code E}; or if its own tag register is at least
 *       as new as {@code S} (it has seen the asker's write or a later one) and the tag serves its winner
 *       there: a newer write elsewhere is the fleet's winner, and it is fully there;
 *   <li>{@code pending} if {@code E} is known there but not served by the tag yet (content arriving, or
 *       the tag's event not replayed yet), or its at-least-as-new winner is still arriving;
 *   <li>{@code absent} otherwise: the region has not heard of the asker's write.
 * </ul>
 *
 * If the asking region does not know the tag (never pushed or deleted there), each region answers for
 * itself: {@code complete} when it serves its own winner for the tag. A region whose topology filter keeps the
 * repository out is {@code excluded}, whatever the reference.
 */
public final class ReplicationVerdict {
  private ReplicationVerdict() {}

  /**
   * @param expected the asker's winning digest for a tag reference; empty for a digest reference or an
   *     unknown tag
   * @param expectedStamp the stamp of that winning write
   */
  public static ManifestStatus judge(Optional<Digest> expected, Optional<Stamp> expectedStamp, ManifestFacts facts) {
    if (facts.status() == ManifestStatus.EXCLUDED || expected.isEmpty()) return facts.status();
    if (facts.servedDigest().equals(expected)) return ManifestStatus.COMPLETE;
    boolean caughtUp = expectedStamp.isPresent() && facts.winningStamp().isPresent()
        && facts.winningStamp().get().compareTo(expectedStamp.get()) >= 0;
    if (caughtUp && facts.winningDigest().isPresent() && facts.servedDigest().equals(facts.winningDigest())) {
      return ManifestStatus.COMPLETE;
    }
    boolean expectedKnown = facts.expectedStatus().filter(s -> s == ManifestStatus.PENDING || s == ManifestStatus.COMPLETE).isPresent();
    if (expectedKnown || (caughtUp && facts.status() == ManifestStatus.PENDING)) return ManifestStatus.PENDING;
    return ManifestStatus.ABSENT;
  }
}
