package dev.meridian.core.state;

import static dev.meridian.core.state.StateFixtures.ASIA;
import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.repo;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Tag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random register writes over a small world (3 repositories whose names share prefixes, 3 tags, 4
 * digests, 3 regions, a handful of clock readings) so that the same registers are hit often and equal
 * clocks are common; and random ways of delivering them (shuffled, duplicated, cut into batches).
 */
public final class RegisterWrites {
  public static final List<String> REPOSITORIES = List.of("app", "app/sub", "app-x");
  public static final List<String> TAGS = List.of("v1", "v2", "latest");
  public static final List<Digest> DIGESTS = List.of(digest(1), digest(2), digest(3), digest(4));
  public static final List<RegionId> REGIONS = List.of(ASIA, EAST, WEST);

  private RegisterWrites() {}

  /** Register writes in which one stamp never carries two different values for the same register. */
  public static Arbitrary<List<Object>> writes() {
    Arbitrary<Object> write = Arbitraries.oneOf(tagWrites(), manifestWrites(), blobLinkWrites());
    return write.list().ofMinSize(1).ofMaxSize(30).map(RegisterWrites::oneValuePerStamp);
  }

  public static Arbitrary<Stamp> stamps() {
    return Combinators.combine(
            Arbitraries.longs().between(1, 3), Arbitraries.integers().between(0, 1), Arbitraries.of(REGIONS))
        .as((millis, logical, region) -> new Stamp(new HlcTimestamp(millis, logical), region));
  }

  private static Arbitrary<Object> tagWrites() {
    Arbitrary<Optional<Digest>> target = Arbitraries.of(DIGESTS).optional(0.75);
    return Combinators.combine(Arbitraries.of(REPOSITORIES), Arbitraries.of(TAGS), target, stamps())
        .as((r, t, d, s) -> new TagRecord(repo(r), new Tag(t), d, s));
  }

  private static Arbitrary<Object> manifestWrites() {
    return Combinators.combine(Arbitraries.of(REPOSITORIES), Arbitraries.integers().between(0, DIGESTS.size() - 1),
            Arbitraries.of(true, true, false), stamps())
        .as((r, d, present, s) -> StateFixtures.manifest(r, DIGESTS.get(d), subjectOf(d), present, s));
  }

  private static Arbitrary<Object> blobLinkWrites() {
    return Combinators.combine(Arbitraries.of(REPOSITORIES), Arbitraries.of(DIGESTS), Arbitraries.of(true, false), stamps())
        .as((r, d, linked, s) -> new BlobLinkRecord(repo(r), d, linked, s));
  }

  /** A manifest's subject is part of its content, so it is fixed per digest: two refer to the first, one to the second. */
  public static Optional<Digest> subjectOf(int digestIndex) {
    return switch (digestIndex) {
      case 2, 3 -> Optional.of(DIGESTS.get(0));
      case 1 -> Optional.of(DIGESTS.get(2));
      default -> Optional.empty();
    };
  }

  /**
   * Drops a write whose register already got another value with the same stamp. A region's clock issues
   * each reading once, so two different values never share a stamp in a real fleet, and the merge rule
   * (rightly) need not order them.
   */
  private static List<Object> oneValuePerStamp(List<Object> writes) {
    Set<List<Object>> seen = new HashSet<>();
    List<Object> kept = new ArrayList<>();
    for (Object w : writes) {
      if (seen.add(List.of(registerKey(w), stampOf(w)))) kept.add(w);
    }
    return kept;
  }

  public static Object registerKey(Object write) {
    if (write instanceof TagRecord t) return List.of("tag", t.repository(), t.tag());
    if (write instanceof ManifestRecord m) return List.of("manifest", m.repository(), m.digest());
    if (write instanceof BlobLinkRecord l) return List.of("link", l.repository(), l.digest());
    throw new IllegalArgumentException("not a register write: " + write);
  }

  public static Stamp stampOf(Object write) {
    if (write instanceof TagRecord t) return t.stamp();
    if (write instanceof ManifestRecord m) return m.stamp();
    if (write instanceof BlobLinkRecord l) return l.stamp();
    throw new IllegalArgumentException("not a register write: " + write);
  }

  /** The writes shuffled, some delivered twice, cut into batches of 1 to 4: what a log may hand a region. */
  public static List<StateBatch> delivery(List<Object> writes, Random random) {
    List<Object> order = new ArrayList<>(writes);
    int duplicates = random.nextInt(writes.size() + 1);
    for (int i = 0; i < duplicates; i++) order.add(writes.get(random.nextInt(writes.size())));
    java.util.Collections.shuffle(order, random);
    List<StateBatch> batches = new ArrayList<>();
    for (int i = 0; i < order.size(); ) {
      int size = Math.min(1 + random.nextInt(4), order.size() - i);
      batches.add(StateFixtures.batch(order.subList(i, i + size).toArray()));
      i += size;
    }
    return batches;
  }
}
