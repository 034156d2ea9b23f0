package dev.meridian.chaos;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * One write the workload sent to a region, with when it was sent and, if the region acknowledged it (a 2xx),
 * when the answer came. A write without {@link #acked()} has an unknown outcome (no answer: a timeout, a
 * killed agent): it may or may not have taken effect. Writes the registry refused (4xx) are not recorded.
 *
 * @param digest the manifest written or deleted; absent only for {@link Kind#TAG_DELETE}
 * @param tag the tag written or deleted; absent for {@link Kind#MANIFEST_PUT} and {@link Kind#MANIFEST_DELETE}
 */
public record Write(
    String region, Kind kind, String repository, Optional<String> tag, Optional<Digest> digest,
    Instant sent, Optional<Instant> acked) {
  /** What a write does to the registers: see DESIGN.md §3. */
  public enum Kind {
    /** A manifest PUT by tag: the tag points at the digest, and the manifest is present. */
    TAG_PUT,
    /** A manifest PUT by digest (here: a referrer with a subject): the manifest is present. */
    MANIFEST_PUT,
    /** A DELETE by tag: the tag is gone, the manifest stays. */
    TAG_DELETE,
    /** A DELETE by digest: the manifest is gone, and so is every tag that pointed at it in that region. */
    MANIFEST_DELETE
  }

  public Write {
    requireNonNull(region, "region");
    requireNonNull(kind, "kind");
    requireNonNull(repository, "repository");
    requireNonNull(tag, "tag");
    requireNonNull(digest, "digest");
    requireNonNull(sent, "sent");
    requireNonNull(acked, "acked");
    boolean needsTag = kind == Kind.TAG_PUT || kind == Kind.TAG_DELETE;
    if (needsTag != tag.isPresent()) throw new IllegalArgumentException(kind + " with tag " + tag);
    if ((kind != Kind.TAG_DELETE) != digest.isPresent()) throw new IllegalArgumentException(kind + " with digest " + digest);
    if (acked.isPresent() && acked.get().isBefore(sent)) throw new IllegalArgumentException("acked before sent");
  }

  /** Whether this write surely finished before {@code other} was sent, so its HLC is lower (see ConvergenceChecker). */
  public boolean ackedBefore(Write other) {
    return acked.isPresent() && acked.get().toEpochMilli() < other.sent().toEpochMilli();
  }

  @Override
  public String toString() {
    return kind + " " + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("")
        + " at " + region + " sent " + sent + acked.map(a -> " acked " + a).orElse(" (no answer)");
  }
}
