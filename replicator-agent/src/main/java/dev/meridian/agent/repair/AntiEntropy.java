package dev.meridian.agent.repair;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.RegisterRepair;
import dev.meridian.core.state.RegistryState;
import dev.meridian.topology.Region;
import dev.meridian.topology.LiveTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy (DESIGN.md §7): every {@code interval}, this region compares the per-repository digests of its
 * registers with each peer's, and for every repository whose digest differs it pulls the peer's registers and
 * merges them ({@link RegisterRepair}: replay's planning, so missing content becomes transfer jobs). Each region
 * only pulls; since every region does, a register any region holds reaches every region within a round or two,
 * whatever events were lost. Merging is order-free and idempotent, so a pull is always safe.
 *
 * <p>Rounds run one at a time on one thread; {@link #runNow} runs one at once (the admin API, tests) and waits.
 */
public final class AntiEntropy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);

  /** What the comparison with one peer found and repaired, or why it failed. */
  public record PeerRound(String region, int repositories, int differing, int tags, int manifests, int blobLinks, int locks,
      Optional<String> error) {}

  /** One round: one entry per peer. */
  public record Report(List<PeerRound> peers) {
    public Report {
      peers = List.copyOf(peers);
    }
  }

  private final RegionId self;
  private final LiveTopology topology;
  private final RegistryState state;
  private final RegisterRepair repair;
  private final PeerRegisters peers;
  private final Duration interval;
  private final AntiEntropyListener listener;
  private final Runnable onTransfersPlanned;
  private final Runnable onOutboxAppended;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meridian-anti-entropy");
    t.setDaemon(true);
    return t;
  });

  public AntiEntropy(RegionId self, LiveTopology topology, RegistryState state, RegisterRepair repair, PeerRegisters peers,
      Duration interval, AntiEntropyListener listener, Runnable onTransfersPlanned, Runnable onOutboxAppended) {
    this.self = self;
    this.topology = topology;
    this.state = state;
    this.repair = repair;
    this.peers = peers;
    this.interval = interval;
    this.listener = listener;
    this.onTransfersPlanned = onTransfersPlanned;
    this.onOutboxAppended = onOutboxAppended;
  }

  public AntiEntropy start() {
    List<Region> regions = topology.active().regions();
    int count = Math.max(1, regions.size());
    int place = 0;
    while (place < regions.size() && !regions.get(place).id().equals(self)) place++;
    place %= count; // a region not in the active fleet when it starts takes the first place
    thread.scheduleWithFixedDelay(() -> {
      try {
        round();
      } catch (RuntimeException e) {
        log.warn("antientropy.round.failed reason={}", e.toString());
      }
    }, firstRound(interval, place, count).toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * How long after its start the first round comes for the region at {@code place} (from 0) of the fleet's
   * {@code regions}: from one interval to two, each region a share of the interval after the one before it in the
   * fleet file. A round asks every peer for a summary that costs the peer a pass over all its registers; the regions
   * of a fleet started together ({@code meridian up}, a fleet-wide restart) would otherwise all ask each other at the
   * same moment, interval after interval. Never before one interval, as before the spread: a region just started may
   * still be catching up, or have a peer seeding from it.
   */
  static Duration firstRound(Duration interval, int place, int regions) {
    if (regions < 1 || place < 0 || place >= regions) {
      throw new IllegalArgumentException("place " + place + " of " + regions + " regions");
    }
    long millis = interval.toMillis();
    return Duration.ofMillis(millis + millis * place / regions);
  }

  /** Runs a round now (after one in progress, if any) and returns what it did. */
  public Report runNow() {
    Future<Report> round = thread.submit(this::round);
    try {
      return round.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      round.cancel(true);
      throw new IllegalStateException("interrupted during anti-entropy", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private Report round() {
    List<PeerRound> rounds = new ArrayList<>();
    for (Region peer : topology.active().regions()) { // read at each round: the fleet changes live
      if (peer.id().equals(self)) continue;
      rounds.add(compareWith(peer));
    }
    return new Report(rounds);
  }

  private PeerRound compareWith(Region peer) {
    String name = peer.id().value();
    try {
      Map<RepositoryName, String> theirs = peers.summary(peer.url());
      Map<RepositoryName, String> ours = RegisterSummary.of(state);
      int differing = 0;
      int[] repaired = new int[4];
      for (Map.Entry<RepositoryName, String> e : theirs.entrySet()) {
        if (e.getValue().equals(ours.get(e.getKey()))) continue;
        differing++;
        List<ReplicationEvent> registers = peers.registers(peer.url(), e.getKey());
        RegisterRepair.Outcome outcome = repair.merge(registers);
        repaired[0] += outcome.tags();
        repaired[1] += outcome.manifests();
        repaired[2] += outcome.blobLinks();
        repaired[3] += outcome.locks();
        if (outcome.transfersPlanned()) onTransfersPlanned.run();
        if (outcome.outboxAppended()) onOutboxAppended.run();
        if (outcome.repaired() > 0) {
          log.info("antientropy.repaired peer={} repo={} tags={} manifests={} blob_links={} locks={}",
              name, e.getKey(), outcome.tags(), outcome.manifests(), outcome.blobLinks(), outcome.locks());
        }
      }
      listener.compared(differing);
      listener.repaired("tag", repaired[0]);
      listener.repaired("manifest", repaired[1]);
      listener.repaired("blob_link", repaired[2]);
      listener.repaired("lock", repaired[3]);
      log.info("antientropy.compared peer={} repositories={} differing={} repaired={}",
          name, theirs.size(), differing, repaired[0] + repaired[1] + repaired[2] + repaired[3]);
      return new PeerRound(name, theirs.size(), differing, repaired[0], repaired[1], repaired[2], repaired[3], Optional.empty());
    } catch (RuntimeException e) {
      listener.failed();
      log.warn("antientropy.compare.failed peer={} reason={}", name, e.toString());
      return new PeerRound(name, 0, 0, 0, 0, 0, 0, Optional.of(e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
