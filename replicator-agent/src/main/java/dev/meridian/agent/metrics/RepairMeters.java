package dev.meridian.agent.metrics;

import dev.meridian.agent.repair.AntiEntropyListener;
import dev.meridian.agent.repair.ScrubListener;
import dev.meridian.core.digest.Digest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The scrubber's and anti-entropy's meters: {@code meridian_scrub_scrubbed_bytes_total},
 * {@code meridian_scrub_blobs_total}, {@code meridian_scrub_quarantined_total},
 * {@code meridian_antientropy_comparisons_total} (by outcome), {@code meridian_antientropy_differing_total}
 * (repositories whose digest differed from a peer's) and {@code meridian_antientropy_repaired_total} (registers
 * repaired here, by kind).
 */
final class RepairMeters implements ScrubListener, AntiEntropyListener {
  private final MeterRegistry registry;
  private final Counter scrubbedBytes;
  private final Counter scrubbedBlobs;
  private final Counter quarantined;
  private final Counter differing;

  RepairMeters(MeterRegistry registry) {
    this.registry = registry;
    this.scrubbedBytes = Counter.builder("meridian.scrub.scrubbed").baseUnit("bytes")
        .description("bytes of stored blobs read and hashed by the scrubber").register(registry);
    this.scrubbedBlobs = Counter.builder("meridian.scrub.blobs").description("stored blobs hashed by the scrubber").register(registry);
    this.quarantined = Counter.builder("meridian.scrub.quarantined")
        .description("blobs whose bytes did not match their digest, moved to quarantine").register(registry);
    this.differing = Counter.builder("meridian.antientropy.differing")
        .description("repositories whose register digest differed from a peer's").register(registry);
    comparisons("ok");
    comparisons("failed");
    for (String kind : List.of("tag", "manifest", "blob_link", "lock")) repaired(kind);
  }

  @Override
  public void scrubbed(long bytes) {
    scrubbedBytes.increment(bytes);
    scrubbedBlobs.increment();
  }

  @Override
  public void quarantined(Digest digest, long size, List<String> pendingManifests) {
    quarantined.increment();
  }

  @Override
  public void compared(int differingRepositories) {
    comparisons("ok").increment();
    differing.increment(differingRepositories);
  }

  @Override
  public void failed() {
    comparisons("failed").increment();
  }

  @Override
  public void repaired(String kind, int count) {
    repaired(kind).increment(count);
  }

  private Counter comparisons(String outcome) {
    return Counter.builder("meridian.antientropy.comparisons").tag("outcome", outcome)
        .description("comparisons of register digests with a peer").register(registry);
  }

  private Counter repaired(String kind) {
    return Counter.builder("meridian.antientropy.repaired").tag("kind", kind)
        .description("registers a peer held newer, merged here by anti-entropy").register(registry);
  }
}
