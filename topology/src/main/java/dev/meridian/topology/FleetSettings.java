package dev.meridian.topology;

import java.util.List;

/**
 * What the fleet shares besides its regions: how the agents create the event topics, and what copying between
 * regions costs. Replicated as one record of the topology topic, so an agent that knows only the Kafka address
 * creates the topics alike and orders its transfer sources alike.
 */
public record FleetSettings(int topicPartitions, short topicReplicationFactor, List<TransferCost> costs) {
  public FleetSettings {
    costs = List.copyOf(costs);
    if (topicPartitions < 1) throw new IllegalArgumentException("topicPartitions < 1: " + topicPartitions);
    if (topicReplicationFactor < 1) throw new IllegalArgumentException("topicReplicationFactor < 1: " + topicReplicationFactor);
  }

  public FleetSettings(int topicPartitions, short topicReplicationFactor) {
    this(topicPartitions, topicReplicationFactor, List.of());
  }

  public static FleetSettings defaults() {
    return new FleetSettings(Topology.DEFAULT_PARTITIONS, Topology.DEFAULT_REPLICATION_FACTOR);
  }

  public static FleetSettings of(Topology topology) {
    return new FleetSettings(topology.topicPartitions(), topology.topicReplicationFactor(), topology.costs());
  }
}
