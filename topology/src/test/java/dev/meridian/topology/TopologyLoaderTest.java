package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import java.net.URI;
import org.junit.jupiter.api.Test;

class TopologyLoaderTest {

  @Test
  void minimalFleetFileLoadsWithDefaults() {
    Topology t = TopologyLoader.parse("""
        kafka: 127.0.0.1:9092
        regions:
          - id: eastus
            url: http://127.0.0.1:5001
          - id: westeurope
            url: http://127.0.0.1:5002
        """);
    assertThat(t.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(t.topicPartitions()).isEqualTo(Topology.DEFAULT_PARTITIONS);
    assertThat(t.regions()).extracting(Region::id).containsExactly(new RegionId("eastus"), new RegionId("westeurope"));
    assertThat(t.regions().get(1).url()).isEqualTo(URI.create("http://127.0.0.1:5002"));
    assertThat(t.regions()).allMatch(Region::routingEnabled).allMatch(r -> r.mode() == RegionMode.READ_WRITE);
    assertThat(t.peersOf(new RegionId("eastus"))).extracting(Region::id).containsExactly(new RegionId("westeurope"));
  }

  @Test
  void optionalFieldsAreRead() {
    Topology t = TopologyLoader.parse("""
        kafka: 127.0.0.1:9092,127.0.0.1:9093
        topics: { partitions: 3, replicationFactor: 2 }
        regions:
          - id: eastus
            url: http://127.0.0.1:5001/
            routingEnabled: false
            mode: read-only
        """);
    assertThat(t.topicPartitions()).isEqualTo(3);
    assertThat(t.topicReplicationFactor()).isEqualTo((short) 2);
    Region r = t.regions().get(0);
    assertThat(r.routingEnabled()).isFalse();
    assertThat(r.mode()).isEqualTo(RegionMode.READ_ONLY);
    assertThat(r.url()).isEqualTo(URI.create("http://127.0.0.1:5001"));
  }

  @Test
  void everyViolationIsReportedTogether() {
    assertThatThrownBy(() -> TopologyLoader.parse("""
        kafak: typo
        topics: { partitions: 0 }
        regions:
          - id: EastUS
            url: ftp://x:1
          - id: west
            url: http://127.0.0.1
          - id: west
            url: http://127.0.0.1:5003
            routingEnabled: maybe
            mode: sometimes
        """))
        .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.violations()).hasSize(9)
            .anyMatch(v -> v.contains("unknown field 'kafak'"))
            .anyMatch(v -> v.startsWith("kafka: missing"))
            .anyMatch(v -> v.contains("topics.partitions"))
            .anyMatch(v -> v.contains("invalid region id 'EastUS'"))
            .anyMatch(v -> v.contains("must be http:// or https://"))
            .anyMatch(v -> v.contains("needs a host and a port"))
            .anyMatch(v -> v.contains("duplicate region id 'west'"))
            .anyMatch(v -> v.contains("routingEnabled must be true or false"))
            .anyMatch(v -> v.contains("mode must be read-write or read-only")));
  }

  @Test
  void aFleetNeedsRegionsAndAMapping() {
    assertThatThrownBy(() -> TopologyLoader.parse("kafka: 127.0.0.1:9092\nregions: []\n"))
        .hasMessageContaining("at least one region");
    assertThatThrownBy(() -> TopologyLoader.parse("- just\n- a list\n")).hasMessageContaining("YAML mapping");
    assertThatThrownBy(() -> TopologyLoader.parse("kafka: [unclosed")).hasMessageContaining("not valid YAML");
  }

  @Test
  void twoRegionsCannotShareOneUrl() {
    assertThatThrownBy(() -> TopologyLoader.parse("""
        kafka: 127.0.0.1:9092
        regions:
          - { id: a, url: "http://127.0.0.1:5001" }
          - { id: b, url: "http://127.0.0.1:5001/" }
        """)).hasMessageContaining("is used by another region");
  }

  @Test
  void writtenFleetFileReadsBackEqual() {
    Topology t = TopologyLoader.parse("""
        kafka: 127.0.0.1:9092
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001" }
          - { id: westeurope, url: "http://127.0.0.1:5002", routingEnabled: false, mode: read-only }
        """);
    assertThat(TopologyLoader.parse(TopologyLoader.toYaml(t))).isEqualTo(t);
  }
}
