package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of untagged manifests, decided once for the fleet: only the owner region, the first enabled read-write
 * region of the (replicated) topology in fleet order, runs it, with its own policy, and its deletes replicate as {@code manifest.delete} to every
 * region (whose garbage collection then frees the bytes). No two regions race to delete, and a region that was
 * away learns the deletes from the log like any other. While the owner is down, retention waits.
 */
public final class RetentionRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionRunner.class);

  private final RegionId self;
  private final java.util.function.Supplier<RegionId> owner;
  private final RetentionPolicy policy;
  private final Purger purger;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meridian-retention");
    t.setDaemon(true);
    return t;
  });

  public RetentionRunner(RegionId self, RegionId owner, RetentionPolicy policy, Purger purger) {
    this(self, () -> owner, policy, purger);
  }

  /** With the owner read at each use: the fleet changes live (a region created, disabled or deleted). */
  public RetentionRunner(RegionId self, java.util.function.Supplier<RegionId> owner, RetentionPolicy policy, Purger purger) {
    this.self = requireNonNull(self, "self");
    this.owner = requireNonNull(owner, "owner");
    this.policy = requireNonNull(policy, "policy");
    this.purger = requireNonNull(purger, "purger");
  }

  /** The region that runs retention for the fleet: the first read-write one; a standalone region owns itself. */
  public static RegionId owner(Optional<Topology> fleet, RegionId self) {
    return fleet.flatMap(f -> f.regions().stream().filter(r -> r.mode() == RegionMode.READ_WRITE).map(Region::id).findFirst())
        .orElse(self);
  }

  public RegionId owner() {
    return owner.get();
  }

  public boolean owns() {
    return owner().equals(self);
  }

  /** Runs every {@code interval} while this region owns retention (ownership is checked at each run). */
  public RetentionRunner start(Duration interval) {
    if (!policy.enabled()) return this;
    long every = interval.toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (owns()) runNow(false);
      } catch (RuntimeException e) {
        log.warn("retention.failed reason={}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Runs retention now; refused in a region that does not own it, so the fleet never decides twice. */
  public Purger.Report runNow(boolean dryRun) {
    if (!owns()) {
      throw new IllegalStateException("retention is decided by region " + owner() + " for the fleet, not by " + self);
    }
    return purger.retain(policy, dryRun);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
