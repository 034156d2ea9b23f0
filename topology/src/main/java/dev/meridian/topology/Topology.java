package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.util.List;
import java.util.Optional;

/**
 * The fleet: where its change log lives and which regions it has. Immutable; validated by
 * {@link TopologyValidator} when loaded.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param topicPartitions partitions of the events topic when the agent creates it
 * @param topicReplicationFactor replication factor of the topics when the agent creates them
 */
public record Topology(String kafkaBootstrap, int topicPartitions, short topicReplicationFactor, List<Region> regions) {
  public static final int DEFAULT_PARTITIONS = 8;
  public static final short DEFAULT_REPLICATION_FACTOR = 1;

  public Topology {
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    regions = List.copyOf(regions);
  }

  public Optional<Region> region(RegionId id) {
    return regions.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public Region requireRegion(RegionId id) {
    return region(id).orElseThrow(() -> new TopologyException(List.of("region " + id + " is not in the fleet")));
  }

  /** Every region except {@code self}: the peers a region may copy from. */
  public List<Region> peersOf(RegionId self) {
    return regions.stream().filter(r -> !r.id().equals(self)).toList();
  }
}
