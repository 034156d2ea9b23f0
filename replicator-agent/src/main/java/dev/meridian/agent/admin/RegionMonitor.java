package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this region: takes a {@link ReplicationSample} every {@code interval} on its own thread, feeds the
 * {@link StallDetector}, and keeps the latest {@link RegionStatus}, so a status request or a metrics scrape
 * reads a value instead of scanning the state store.
 */
public final class RegionMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegionMonitor.class);

  /**
   * Which region this is and how it is reached, as the topology says; {@code membership}, when present, is a
   * state the topology imposes ({@code creating}, {@code disabled}) with its reason, whatever the samples say.
   */
  public record Identity(String id, String url, boolean routingEnabled, Optional<RegionState> membership, Optional<String> reason) {
    public Identity {
      requireNonNull(id, "id");
      requireNonNull(url, "url");
      requireNonNull(membership, "membership");
      requireNonNull(reason, "reason");
    }

    public Identity(String id, String url, boolean routingEnabled) {
      this(id, url, routingEnabled, Optional.empty(), Optional.empty());
    }
  }

  private final Supplier<Identity> identity;
  private final Supplier<ReplicationSample> sampler;
  private final StallDetector stalls;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private volatile ReplicationSample sample;
  private volatile Optional<String> stall = Optional.empty();

  public RegionMonitor(Supplier<Identity> identity, Supplier<ReplicationSample> sampler, Duration stallThreshold, Clock clock) {
    this.identity = requireNonNull(identity, "identity");
    this.sampler = requireNonNull(sampler, "sampler");
    this.stalls = new StallDetector(stallThreshold);
    this.clock = requireNonNull(clock, "clock");
    this.sample = ReplicationSample.standalone();
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meridian-region-monitor");
      t.setDaemon(true);
      return t;
    });
  }

  public RegionMonitor start(Duration interval) {
    refresh();
    thread.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Takes a sample now; the scheduler calls it, tests may too. */
  public synchronized void refresh() {
    try {
      ReplicationSample next = sampler.get();
      // A region the topology holds still (disabled, deleted, not created, joining) is not stalled: its work waits.
      boolean held = identity.get().membership().isPresent();
      stall = stalls.observe(next.progress(), next.workPending() && !held, clock.instant());
      sample = next;
      stall.ifPresent(reason -> log.warn("region.stalled reason=\"{}\" pending_transfers={} outbox_backlog={}",
          reason, next.pendingTransfers(), next.outboxBacklog()));
    } catch (RuntimeException e) {
      // A closing state store, most likely; the next tick tries again.
      log.debug("region.sample.failed reason={}", e.toString());
    }
  }

  /** The latest sample: gauges read this. */
  public ReplicationSample sample() {
    return sample;
  }

  /** This region's status from the latest sample. */
  public RegionStatus status() {
    Identity self = identity.get();
    RegionStatus status = RegionStatusPolicy.status(self.id(), self.url(), self.routingEnabled(), sample, stall, clock.instant());
    return self.membership().map(state -> status.withState(state, self.reason())).orElse(status);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
