package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fleet as it is now, for a process that follows the topology topic: what is read at run time instead of
 * a fixed {@link Topology} (transfer sources, the fleet status, routing, read-through), with listeners told
 * after each change.
 *
 * <p>It starts from a seed (the fleet file, or nothing), and shows the topic's content from the moment the
 * reader has {@link #replace replaced} it with what the topic holds. Regions of the seed the topic lacks stay
 * visible until the seed has been written ({@link #seedWritten}), so a fresh fleet never flickers empty.
 * The seed's URLs are this process's own way to its regions (a fleet file may name a proxy per pair of
 * regions): they win over the topic's.
 */
public final class LiveTopology {
  private final String kafka;
  private final Map<RegionId, URI> addresses;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile ReplicatedTopology pendingSeed;
  private volatile ReplicatedTopology fromLog;
  private volatile View effective;
  private volatile boolean loaded;

  /**
   * What the fleet is now, with both views of it built once per change: replay asks for them at every event
   * (the repository filter), and rebuilding a {@link Topology} each time cost more than the check itself.
   */
  private record View(ReplicatedTopology replicated, Topology current, Topology active) {}

  private LiveTopology(String kafka, ReplicatedTopology seed, Map<RegionId, URI> addresses) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.addresses = Map.copyOf(addresses);
    this.pendingSeed = seed;
    this.fromLog = ReplicatedTopology.empty();
    this.effective = view(seed);
  }

  private View view(ReplicatedTopology replicated) {
    return new View(replicated, replicated.topology(kafka, addresses, false), replicated.topology(kafka, addresses, true));
  }

  /** Seeded from a fleet file (with no regions: the topic alone says who is in the fleet). */
  public static LiveTopology seeded(Topology file) {
    Map<RegionId, URI> addresses = new HashMap<>();
    for (Region r : file.regions()) addresses.put(r.id(), r.url());
    return new LiveTopology(file.kafkaBootstrap(), ReplicatedTopology.of(file), addresses);
  }

  /** A topology that never changes (a standalone tool, tests). */
  public static LiveTopology fixed(Topology topology) {
    LiveTopology live = seeded(topology);
    live.loaded = true;
    return live;
  }

  public String kafkaBootstrap() {
    return kafka;
  }

  /** Every region of the fleet, disabled ones included. */
  public Topology current() {
    return effective.current();
  }

  /** The regions replication is enabled for: the ones that fetch content and may be asked for it. */
  public Topology active() {
    return effective.active();
  }

  /** Every region with its replication settings, in fleet order, with the topic's own URLs. */
  public List<Replica> replicas() {
    return effective.replicated().ordered();
  }

  public Optional<Replica> replica(RegionId region) {
    return effective.replicated().find(region);
  }

  /** What the topic holds (nothing until it was read). */
  public ReplicatedTopology fromLog() {
    return fromLog;
  }

  /** What the seed adds to the topic: empty once written, or when the topic had it all. */
  public ReplicatedTopology pendingSeed() {
    return pendingSeed;
  }

  /** Whether the topic has been read to its end at least once. */
  public boolean loaded() {
    return loaded;
  }

  /** Called after every change (on the reader's thread: be quick, do not throw). */
  public void onChange(Runnable listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /** The topic read up to now: from here on it decides. */
  public synchronized void replace(ReplicatedTopology log) {
    fromLog = requireNonNull(log, "log");
    loaded = true;
    recompute();
  }

  /** The seed has been written to the topic (or was there): the topic alone decides. */
  public synchronized void seedWritten() {
    pendingSeed = ReplicatedTopology.empty();
    recompute();
  }

  private void recompute() {
    ReplicatedTopology next = fromLog;
    if (fromLog.settings().isEmpty() && pendingSeed.settings().isPresent()) {
      next = next.apply(new TopologyChange.SettingsPut(pendingSeed.settings().get()));
    }
    for (TopologyChange change : fromLog.seedChanges(new Topology(kafka, 1, (short) 1,
        pendingSeed.ordered().stream().map(Replica::region).toList()))) {
      if (change instanceof TopologyChange.RegionPut) next = next.apply(change);
    }
    boolean changed = !next.equals(effective.replicated());
    if (changed) effective = view(next);
    if (changed) listeners.forEach(Runnable::run);
  }
}
