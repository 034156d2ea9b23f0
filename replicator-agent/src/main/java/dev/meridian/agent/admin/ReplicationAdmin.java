package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Replica;
import dev.meridian.topology.TopologyChange;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Managing the fleet's regions ({@code /admin/v1/replications}, {@code meridian replication ...}): each
 * change is checked against the topology as this region knows it, written to the topology topic, and
 * returns once this region has read it back, so the next read here shows it. Every region applies it from the
 * topic, without a restart. Mistakes are answered as {@link RegistryException}s: 404 for a region not in the
 * fleet, 409 for creating one that is, 400 for bad values, 503 when the topic does not take the change.
 */
public final class ReplicationAdmin {
  /** Writes one change to the topology topic and returns once this region has applied it. */
  @FunctionalInterface
  public interface TopologyWriter {
    void write(TopologyChange change);
  }

  /** What {@code replication update} changes; empty fields stay as they are. */
  public record Update(Optional<Boolean> routingEnabled, Optional<RegionMode> mode, Optional<Boolean> enabled) {
    public Update {
      requireNonNull(routingEnabled, "routingEnabled");
      requireNonNull(mode, "mode");
      requireNonNull(enabled, "enabled");
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
    if (topology.replica(region).isPresent()) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, "region " + region + " already exists", region.value(), 409);
    }
    for (Replica other : topology.replicas()) {
      if (other.region().url().equals(url)) {
        throw new RegistryException(OciErrorCode.UNSUPPORTED,
            "url " + url + " is already region " + other.id() + "'s", url.toString(), 409);
      }
    }
    Replica created = new Replica(new Region(region, url, routingEnabled, mode), true, topology.fromLog().nextOrdinal());
    write(new TopologyChange.RegionPut(created));
    return show(region);
  }

  public synchronized Replica update(RegionId region, Update update) {
    Replica before = show(region);
    Region r = before.region();
    Region changed = new Region(r.id(), r.url(), update.routingEnabled().orElse(r.routingEnabled()), update.mode().orElse(r.mode()));
    Replica after = before.withRegion(changed).withEnabled(update.enabled().orElse(before.enabled()));
    if (!after.equals(before)) write(new TopologyChange.RegionPut(after));
    return show(region);
  }

  public synchronized void delete(RegionId region) {
    show(region);
    write(new TopologyChange.RegionDeleted(region));
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
