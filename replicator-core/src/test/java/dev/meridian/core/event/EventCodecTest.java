package dev.meridian.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class EventCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  private final EventCodec codec = new EventCodec();

  @Provide
  Arbitrary<ReplicationEvent> events() {
    return EventArbitraries.events();
  }

  @Property(tries = 2000)
  void everyEventTypeSurvivesEncodeThenDecodeUnchanged(@ForAll("events") ReplicationEvent event) {
    Statistics.collect(event.type());
    Statistics.coverage(coverage -> {
      for (EventType type : EventType.values()) coverage.check(type).count(n -> n > 0);
    });

    ReplicationEvent decoded = codec.decode(codec.encode(event));

    assertThat(decoded).isEqualTo(event);
    assertThat(decoded.stamp()).isEqualTo(event.stamp());
  }

  @Property
  void equalEventsEncodeToEqualBytes(@ForAll("events") ReplicationEvent event) {
    assertThat(codec.encode(codec.decode(codec.encode(event)))).isEqualTo(codec.encode(event));
  }

  @Property(tries = 500)
  void unknownFieldsAnywhereAreIgnored(@ForAll("events") ReplicationEvent event) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(codec.encode(event));
    node.put("zz-added-by-a-newer-writer", 42);
    node.putObject("nested").put("x", "y");
    for (String field : List.of("references", "subject")) {
      JsonNode child = node.get(field);
      if (child instanceof ObjectNode descriptor) descriptor.put("urls", "ignored");
      if (child != null && child.isArray()) child.forEach(d -> ((ObjectNode) d).putArray("urls").add("https://x"));
    }

    assertThat(codec.decode(JSON.writeValueAsBytes(node))).isEqualTo(event);
  }

  @Example
  void manifestPutHasTheDocumentedWireForm() throws Exception {
    var config = Descriptor.of(MediaType.OCI_CONFIG, Digest.parse(B), 7);
    var subject = new Descriptor(MediaType.OCI_MANIFEST, Digest.parse(C), 300, Optional.empty(),
        Map.of("k", "v"), Optional.empty());
    var event = new ManifestPut("e-1", new RegionId("eastus"), new HlcTimestamp(1732700000000L, 3),
        new RepositoryName("team-a/app"), Digest.parse(A), MediaType.OCI_MANIFEST, 512, List.of(config),
        Optional.of(subject), Optional.of("application/vnd.example+json"), Map.of("org.opencontainers.x", "1"));

    String expected = "{\"schema\":1,\"type\":\"manifest.put\",\"id\":\"e-1\",\"origin\":\"eastus\","
        + "\"hlc\":\"1732700000000.3\",\"repository\":\"team-a/app\",\"digest\":\"" + A + "\","
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":512,"
        + "\"references\":[{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + B
        + "\",\"size\":7}],"
        + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + C
        + "\",\"size\":300,\"annotations\":{\"k\":\"v\"}},"
        + "\"artifactType\":\"application/vnd.example+json\",\"annotations\":{\"org.opencontainers.x\":\"1\"}}";
    assertThat(new String(codec.encode(event), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(codec.decode(expected.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
  }

  @Example
  void replicaAckHasTheDocumentedWireForm() {
    String json = "{\"schema\":1,\"type\":\"replica.ack\",\"id\":\"e-2\",\"origin\":\"westus\",\"hlc\":\"5.0\","
        + "\"repository\":\"app\",\"digest\":\"" + A + "\",\"region\":\"westus\"}";

    var event = codec.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThat(event).isEqualTo(new ReplicaAck("e-2", new RegionId("westus"), new HlcTimestamp(5, 0),
        new RepositoryName("app"), Digest.parse(A), new RegionId("westus")));
    assertThat(codec.encode(event)).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
  }

  @Example
  void anOmittedOptionalFieldDecodesAsAbsent() {
    String json = "{\"schema\":1,\"type\":\"manifest.put\",\"id\":\"e-3\",\"origin\":\"eastus\",\"hlc\":\"9\","
        + "\"repository\":\"app\",\"digest\":\"" + A + "\",\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"size\":10,\"references\":[],\"subject\":null}";

    var event = (ManifestPut) codec.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThat(event.subject()).isEmpty();
    assertThat(event.artifactType()).isEmpty();
    assertThat(event.annotations()).isEmpty();
    assertThat(event.hlc()).isEqualTo(new HlcTimestamp(9, 0));
  }
}
