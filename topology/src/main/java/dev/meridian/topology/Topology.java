package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.RepositoryName;
import java.util.List;
import java.util.Optional;

/**
 * The fleet: where its change log lives, which regions it has, and what copying between them costs. Immutable;
 * validated by {@link TopologyValidator} when loaded.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param topicPartitions partitions of the events topic when the agent creates it
 * @param topicReplicationFactor replication factor of the topics when the agent creates them
 * @param costs the transfer costs given explicitly; every other pair costs {@link #DEFAULT_COST}
 */
public record Topology(String kafkaBootstrap, int topicPartitions, short topicReplicationFactor, List<Region> regions,
    List<TransferCost> costs) {
  public static final int DEFAULT_PARTITIONS = 8;
  public static final short DEFAULT_REPLICATION_FACTOR = 1;
  /** The cost of a pair of regions the fleet file says nothing about. */
  public static final int DEFAULT_COST = 1;

  public Topology {
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    regions = List.copyOf(regions);
    costs = List.copyOf(costs);
  }

  /** A fleet in which every transfer costs the same. */
  public Topology(String kafkaBootstrap, int topicPartitions, short topicReplicationFactor, List<Region> regions) {
    this(kafkaBootstrap, topicPartitions, topicReplicationFactor, regions, List.of());
  }

  public Optional<Region> region(RegionId id) {
    for (Region r : regions) if (r.id().equals(id)) return Optional.of(r);
    return Optional.empty();
  }

  public Region requireRegion(RegionId id) {
    return region(id).orElseThrow(() -> new TopologyException(List.of("region " + id + " is not in the fleet")));
  }

  /** Every region except {@code self}: the peers a region may copy from. */
  public List<Region> peersOf(RegionId self) {
    return regions.stream().filter(r -> !r.id().equals(self)).toList();
  }

  /**
   * What copying from {@code from} to {@code to} costs: 0 within a region; else the cost given for exactly that
   * direction; else the one given for the other direction (a pair given once is symmetric); else
   * {@link #DEFAULT_COST}.
   */
  public int cost(RegionId from, RegionId to) {
    if (from.equals(to)) return 0;
    Optional<TransferCost> reverse = Optional.empty();
    for (TransferCost c : costs) {
      if (c.from().equals(from) && c.to().equals(to)) return c.cost();
      if (c.from().equals(to) && c.to().equals(from)) reverse = Optional.of(c);
    }
    return reverse.map(TransferCost::cost).orElse(DEFAULT_COST);
  }

  /**
   * Whether region {@code id} holds {@code repository} by its filter; a region outside the fleet holds
   * nothing.
   */
  public boolean admits(RegionId id, RepositoryName repository) {
    return region(id).map(r -> r.repositories().admits(repository)).orElse(false);
  }
}
