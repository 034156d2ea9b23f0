package dev.meridian.agent.metrics;

import dev.meridian.agent.replication.ReplayListener;
import dev.meridian.agent.transfer.TransferListener;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Replay and transfer meters.
 *
 * <p>{@code meridian.replication.lag} (per origin region) is recorded once per replicated manifest, when it
 * becomes servable here: the time from its write at the origin (the physical part of the event's HLC, i.e.
 * the origin's clock when it acknowledged the push) to that moment on this region's clock. It therefore
 * includes the outbox relay, the log, replay and every transfer, and, between machines, their clock skew
 * (clamped at 0).
 */
final class ReplicationMeters implements ReplayListener, TransferListener {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Counter deadLetters;
  /** One counter per event type, registered once: replay counts every event it applies. */
  private final Map<EventType, Counter> applied = new ConcurrentHashMap<>();
  /**
   * One lag timer per origin, registered once: replay records one per manifest it completes, and a registration's
   * look-up (a meter id built, its tags sorted, a map searched) showed in a profile of a region applying ~5,000
   * manifests a second.
   */
  private final Map<RegionId, Timer> lag = new ConcurrentHashMap<>();

  ReplicationMeters(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.deadLetters = Counter.builder("meridian.events.dead.lettered")
        .description("log records sent to the dead-letter topic").register(registry);
  }

  @Override
  public void applied(EventType type) {
    applied.computeIfAbsent(type, t -> Counter.builder("meridian.events.applied")
        .description("events from other regions applied here").tag("type", t.wireName()).register(registry)).increment();
  }

  @Override
  public void deadLettered() {
    deadLetters.increment();
  }

  @Override
  public void manifestCompleted(Stamp written) {
    long lagMillis = Math.max(0, clock.millis() - written.hlc().physicalMillis());
    lag.computeIfAbsent(written.origin(), origin -> Timer.builder("meridian.replication.lag")
        .description("from a manifest's write at its origin to it being complete here")
        .tag("origin", origin.value())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry))
        .record(lagMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void fetched(RegionId source, Outcome outcome, long bytes, Duration took) {
    String outcomeLabel = outcome.name().toLowerCase(Locale.ROOT);
    Timer.builder("meridian.blob.transfer").description("fetches of one blob or manifest from one peer")
        .tag("source", source.value()).tag("outcome", outcomeLabel).register(registry).record(took);
    if (bytes > 0) {
      Counter.builder("meridian.blob.transferred").description("bytes copied from peers").baseUnit("bytes")
          .tag("source", source.value()).register(registry).increment(bytes);
    }
  }

  @Override
  public void readThrough(ReadThroughCaller caller, ReadThroughOutcome outcome, Duration took) {
    Timer.builder("meridian.read.through").description("waits on read-through: pulls and manifest PUTs of content fetched from peers")
        .tag("caller", caller.name().toLowerCase(Locale.ROOT)).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .register(registry).record(took);
  }
}
