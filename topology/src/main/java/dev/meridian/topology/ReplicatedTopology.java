package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The topology as the topology topic describes it: the latest record of each region (deleted regions are
 * gone) and the fleet's settings, if written. Immutable and pure: {@link #apply} returns the next value, so
 * applying the topic from its start, in order, gives every reader the same fleet.
 */
public record ReplicatedTopology(Optional<FleetSettings> settings, Map<RegionId, Replica> replicas) {
  private static final Comparator<Replica> FLEET_ORDER =
      Comparator.comparingInt(Replica::ordinal).thenComparing(r -> r.id().value());

  public ReplicatedTopology {
    requireNonNull(settings, "settings");
    replicas = Map.copyOf(replicas);
  }

  public static ReplicatedTopology empty() {
    return new ReplicatedTopology(Optional.empty(), Map.of());
  }

  /** What a fleet file says, as the topic would hold it: every region enabled, in file order. */
  public static ReplicatedTopology of(Topology file) {
    ReplicatedTopology t = new ReplicatedTopology(Optional.of(FleetSettings.of(file)), Map.of());
    for (TopologyChange change : t.seedChanges(file)) t = t.apply(change);
    return t;
  }

  public ReplicatedTopology apply(TopologyChange change) {
    if (change instanceof TopologyChange.SettingsPut put) return new ReplicatedTopology(Optional.of(put.settings()), replicas);
    Map<RegionId, Replica> next = new LinkedHashMap<>(replicas);
    if (change instanceof TopologyChange.RegionPut put) next.put(put.replica().id(), put.replica());
    if (change instanceof TopologyChange.RegionDeleted deleted) next.remove(deleted.region());
    return new ReplicatedTopology(settings, next);
  }

  /** Every region, in fleet order (ordinal, then id). */
  public List<Replica> ordered() {
    return replicas.values().stream().sorted(FLEET_ORDER).toList();
  }

  public Optional<Replica> find(RegionId region) {
    return Optional.ofNullable(replicas.get(region));
  }

  /** The ordinal a region created now gets: after every region there is. */
  public int nextOrdinal() {
    return replicas.values().stream().mapToInt(Replica::ordinal).max().orElse(-1) + 1;
  }

  /**
   * What seeding the topic from {@code file} writes: each region of the file not in the topic yet (enabled,
   * ordered after the regions already there, in file order), and the settings if none were written.
   */
  public List<TopologyChange> seedChanges(Topology file) {
    List<TopologyChange> changes = new ArrayList<>();
    if (settings.isEmpty()) changes.add(new TopologyChange.SettingsPut(FleetSettings.of(file)));
    int ordinal = nextOrdinal();
    for (Region region : file.regions()) {
      if (!replicas.containsKey(region.id())) changes.add(new TopologyChange.RegionPut(new Replica(region, true, ordinal++)));
    }
    return changes;
  }

  /**
   * The fleet as a {@link Topology} for {@code kafka}: every region ({@code enabledOnly} false) or only those
   * replication is enabled for, each reached at its URL in {@code addresses} if it is there (this reader's
   * own way to a region, e.g. through a proxy), else at the URL of its record.
   */
  public Topology topology(String kafka, Map<RegionId, URI> addresses, boolean enabledOnly) {
    FleetSettings s = settings.orElse(FleetSettings.defaults());
    List<Region> regions = new ArrayList<>();
    for (Replica replica : ordered()) {
      if (enabledOnly && !replica.enabled()) continue;
      Region r = replica.region();
      URI url = addresses.getOrDefault(r.id(), r.url());
      regions.add(url.equals(r.url()) ? r : new Region(r.id(), url, r.routingEnabled(), r.mode(), r.repositories()));
    }
    // A cost between regions not in this view would fail validation of the view: keep those between its regions.
    List<TransferCost> costs = s.costs().stream()
        .filter(c -> regions.stream().anyMatch(r -> r.id().equals(c.from())) && regions.stream().anyMatch(r -> r.id().equals(c.to())))
        .toList();
    return new Topology(kafka, s.topicPartitions(), s.topicReplicationFactor(), regions, costs);
  }
}
