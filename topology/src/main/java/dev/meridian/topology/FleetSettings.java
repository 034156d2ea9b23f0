package dev.meridian.topology;

/**
 * What the fleet shares besides its regions: how the agents create the event topics. Replicated as one
 * record of the topology topic, so an agent that knows only the Kafka address creates them alike.
 */
public record FleetSettings(int topicPartitions, short topicReplicationFactor) {
  public FleetSettings {
    if (topicPartitions < 1) throw new IllegalArgumentException("topicPartitions < 1: " + topicPartitions);
    if (topicReplicationFactor < 1) throw new IllegalArgumentException("topicReplicationFactor < 1: " + topicReplicationFactor);
  }

  public static FleetSettings defaults() {
    return new FleetSettings(Topology.DEFAULT_PARTITIONS, Topology.DEFAULT_REPLICATION_FACTOR);
  }

  public static FleetSettings of(Topology topology) {
    return new FleetSettings(topology.topicPartitions(), topology.topicReplicationFactor());
  }
}
