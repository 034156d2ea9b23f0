package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.topology.FleetSettings;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Replica;
import dev.meridian.topology.RepositoryFilter;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyChange;
import dev.meridian.topology.TransferCost;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Managing the fleet's regions ({@code /admin/v1/replications}, {@code meridian replication ...}): each
 * change is checked against the topology as this region knows it, written to the topology topic, and
 * returns once this region has read it back, so the next read here shows it. Every region applies it from the
 * topic, without a restart; so do the repository filters and the transfer costs. Mistakes are answered as {@link RegistryException}s: 404 for a region not in the
 * fleet, 409 for creating one that is, 400 for bad values, 503 when the topic does not take the change.
 */
public final class ReplicationAdmin {
  /** Writes one change to the topology topic and returns once this region has applied it. */
  @FunctionalInterface
  public interface TopologyWriter {
    void write(TopologyChange change);
  }

  /** What {@code replication update} changes; empty fields stay as they are (a filter given replaces the whole filter). */
  public record Update(Optional<Boolean> routingEnabled, Optional<RegionMode> mode, Optional<Boolean> enabled,
      Optional<RepositoryFilter> repositories) {
    public Update {
      requireNonNull(routingEnabled, "routingEnabled");
      requireNonNull(mode, "mode");
      requireNonNull(enabled, "enabled");
      requireNonNull(repositories, "repositories");
    }

    public Update(Optional<Boolean> routingEnabled, Optional<RegionMode> mode, Optional<Boolean> enabled) {
      this(routingEnabled, mode, enabled, Optional.empty());
    }
  }

  private final LiveTopology topology;
  private final TopologyWriter writer;

  public ReplicationAdmin(LiveTopology topology, TopologyWriter writer) {
    this.topology = requireNonNull(topology, "topology");
    this.writer = requireNonNull(writer, "writer");
  }

  public List<Replica> list() {
    return topology.replicas();
  }

  public Replica show(RegionId region) {
    return topology.replica(region).orElseThrow(() -> unknown(region));
  }

  public synchronized Replica create(RegionId region, URI url, boolean routingEnabled, RegionMode mode) {
    return create(region, url, routingEnabled, mode, RepositoryFilter.ALL);
  }

  /** Creates {@code region} holding the repositories {@code repositories} admits. */
  public synchronized Replica create(RegionId region, URI url, boolean routingEnabled, RegionMode mode,
      RepositoryFilter repositories) {
    if (topology.replica(region).isPresent()) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, "region " + region + " already exists", region.value(), 409);
    }
    for (Replica other : topology.replicas()) {
      if (other.region().url().equals(url)) {
        throw new RegistryException(OciErrorCode.UNSUPPORTED,
            "url " + url + " is already region " + other.id() + "'s", url.toString(), 409);
      }
    }
    Replica created = new Replica(new Region(region, url, routingEnabled, mode, requireNonNull(repositories, "repositories")), true,
        topology.fromLog().nextOrdinal());
    write(new TopologyChange.RegionPut(created));
    return show(region);
  }

  public synchronized Replica update(RegionId region, Update update) {
    Replica before = show(region);
    Region r = before.region();
    // Every field the update does not name keeps its value, the repository filter included.
    Region changed = new Region(r.id(), r.url(), update.routingEnabled().orElse(r.routingEnabled()), update.mode().orElse(r.mode()),
        update.repositories().orElse(r.repositories()));
    Replica after = before.withRegion(changed).withEnabled(update.enabled().orElse(before.enabled()));
    if (!after.equals(before)) write(new TopologyChange.RegionPut(after));
    return show(region);
  }

  public synchronized void delete(RegionId region) {
    show(region);
    write(new TopologyChange.RegionDeleted(region));
  }

  /** The transfer costs the fleet's settings hold now (pairs not listed cost {@link Topology#DEFAULT_COST}). */
  public List<TransferCost> costs() {
    return topology.current().costs();
  }

  /**
   * Sets what copying from {@code from} to {@code to} costs (given once, a pair costs the same both ways; give the
   * other direction too for different costs). Both regions must be in the fleet.
   */
  public synchronized List<TransferCost> setCost(RegionId from, RegionId to, int cost) {
    show(from);
    show(to);
    if (from.equals(to)) throw bad("from and to are the same region (a region's cost to itself is always 0)", from.value());
    if (cost < 0 || cost > TransferCost.MAX_COST) throw bad("cost " + cost + " is out of range 0.." + TransferCost.MAX_COST, cost);
    List<TransferCost> costs = new ArrayList<>(withoutPair(from, to));
    costs.add(new TransferCost(from, to, cost));
    return writeCosts(costs);
  }

  /** Removes the cost of {@code from} to {@code to} (that direction only); 404 when none is set. */
  public synchronized List<TransferCost> removeCost(RegionId from, RegionId to) {
    List<TransferCost> costs = withoutPair(from, to);
    if (costs.size() == costs().size()) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, "no cost is set from " + from + " to " + to, from + " -> " + to, 404);
    }
    return writeCosts(costs);
  }

  private List<TransferCost> withoutPair(RegionId from, RegionId to) {
    return costs().stream().filter(c -> !(c.from().equals(from) && c.to().equals(to))).toList();
  }

  private List<TransferCost> writeCosts(List<TransferCost> costs) {
    FleetSettings now = FleetSettings.of(topology.current());
    write(new TopologyChange.SettingsPut(new FleetSettings(now.topicPartitions(), now.topicReplicationFactor(), costs)));
    return costs();
  }

  private static RegistryException bad(String message, Object detail) {
    return new RegistryException(OciErrorCode.UNSUPPORTED, message, detail, 400);
  }

  private void write(TopologyChange change) {
    try {
      writer.write(change);
    } catch (RuntimeException e) {
      throw new RegistryException(OciErrorCode.UNAVAILABLE, "the topology change was not applied: " + e.getMessage(), null, 503);
    }
  }

  private static RegistryException unknown(RegionId region) {
    return new RegistryException(OciErrorCode.UNSUPPORTED, "region " + region + " is not in the fleet", region.value(), 404);
  }
}
