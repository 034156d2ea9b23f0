package dev.meridian.agent.replication;

import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a region is in joining the fleet (DESIGN.md §7), kept in its state so a restart resumes it: {@code seeding}
 * (merging a peer's snapshot; a restart merges it again, which is harmless), {@code catching-up} (merged: content
 * is being fetched and the log followed), then {@code done}. A region with no such mark is an old one, or one that
 * did not seed.
 *
 * <p>While seeding or catching up, {@link #observe} gives the {@link CreationProgress} the status shows; catching
 * up ends once no manifest transfer is left and replay has nothing behind.
 */
public final class Seeding {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Seeding.class);
  static final String PHASE_KEY = "seed.phase";
  static final String BYTES_KEY = "seed.expected-bytes";

  /** The phase of joining. */
  public enum Phase { NONE, SEEDING, CATCHING_UP }

  private final RegistryState state;
  private final Clock clock;
  private volatile Phase phase;
  private volatile long expectedBytes;
  private volatile long fetchedAtStart;
  private volatile Instant startedAt;

  private Seeding(RegistryState state, Clock clock, Phase phase, long expectedBytes) {
    this.state = state;
    this.clock = clock;
    this.phase = phase;
    this.expectedBytes = expectedBytes;
    this.startedAt = clock.instant();
  }

  /**
   * The phase this region starts in: what its state says, else {@code seeding} if it has peers to seed from, may
   * seed, and its state is empty (no offsets, no repository: it never replayed nor took a write).
   */
  public static Seeding decide(RegistryState state, SeedFrom from, boolean hasPeers, Clock clock) {
    Optional<String> mark = state.findMeta(PHASE_KEY).map(b -> new String(b, StandardCharsets.UTF_8));
    long bytes = state.findMeta(BYTES_KEY).filter(b -> b.length == Long.BYTES).map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
    Phase phase;
    if (mark.isPresent()) {
      phase = switch (mark.get()) {
        case "seeding" -> Phase.SEEDING;
        case "catching-up" -> Phase.CATCHING_UP;
        default -> Phase.NONE;
      };
    } else {
      boolean empty = state.consumerOffsets().isEmpty() && state.listRepositories(Optional.empty(), 1).isEmpty();
      phase = empty && hasPeers && from.mode() != SeedFrom.Mode.NONE ? Phase.SEEDING : Phase.NONE;
    }
    return new Seeding(state, clock, phase, bytes);
  }

  public Phase phase() {
    return phase;
  }

  /** Seeding begins: marks it durably (a crash from here on seeds again), and starts the clock of the rate. */
  void begin(long fetchedBytesNow) {
    state.apply(StateBatch.of(mark("seeding")));
    fetchedAtStart = fetchedBytesNow;
    startedAt = clock.instant();
    expectedBytes = 0;
  }

  /** Content found missing while merging. */
  void expect(long bytes) {
    expectedBytes += bytes;
  }

  /** The writes that close the merge, committed with the chosen offsets. */
  List<StateWrite> mergedWrites() {
    return List.of(mark("catching-up"), new StateWrite.PutMeta(BYTES_KEY, ByteBuffer.allocate(Long.BYTES).putLong(expectedBytes).array()));
  }

  /** The merge is committed. */
  void merged() {
    phase = Phase.CATCHING_UP;
  }

  /** No peer could be seeded from ({@code auto}): the region follows the log alone, as before seeding existed. */
  void abandoned() {
    state.apply(StateBatch.of(mark("done")));
    phase = Phase.NONE;
  }

  /**
   * The progress to show, or empty once joined. Catching up ends (durably) at the first observation with no
   * manifest transfer left and replay known to be caught up.
   */
  public Optional<CreationProgress> observe(long manifestJobs, long fetchedBytesTotal, OptionalLong recordsBehind) {
    Phase now = phase;
    if (now == Phase.NONE) return Optional.empty();
    if (now == Phase.CATCHING_UP && manifestJobs == 0 && recordsBehind.isPresent() && recordsBehind.getAsLong() == 0) {
      state.apply(StateBatch.of(mark("done")));
      phase = Phase.NONE;
      log.info("seed.done elapsed_ms={} fetched_bytes={}", clock.millis() - startedAt.toEpochMilli(),
          fetchedBytesTotal - fetchedAtStart);
      return Optional.empty();
    }
    long elapsed = Math.max(0, clock.millis() - startedAt.toEpochMilli());
    return Optional.of(CreationProgress.estimate(now == Phase.SEEDING, manifestJobs, expectedBytes,
        fetchedBytesTotal - fetchedAtStart, elapsed));
  }

  private static StateWrite mark(String phase) {
    return new StateWrite.PutMeta(PHASE_KEY, phase.getBytes(StandardCharsets.UTF_8));
  }
}
