package dev.meridian.agent.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationCodecTest {
  private static final Digest D = Digest.parse("sha256:" + "ab".repeat(32));
  private final NotificationCodec codec = new NotificationCodec();

  private static Notification push() {
    return new Notification("id-1", NotificationType.PUSH, Instant.parse("2026-11-27T14:01:01.189Z"), new RegionId("eastus"),
        Optional.of(new RegionId("eastus")), Optional.of(new RepositoryName("team/app")), D, Optional.of(new Tag("v1")),
        Optional.of("application/vnd.oci.image.manifest.v1+json"), 524, List.of());
  }

  @Test
  void aPushIsTheCncfEventShape() throws Exception {
    JsonNode event = new ObjectMapper().readTree(codec.encode(push()));

    assertThat(event.path("id").asText()).isEqualTo("id-1");
    assertThat(event.path("action").asText()).isEqualTo("push");
    assertThat(event.path("timestamp").asText()).isEqualTo("2026-11-27T14:01:01.189Z");
    assertThat(event.path("target").path("repository").asText()).isEqualTo("team/app");
    assertThat(event.path("target").path("digest").asText()).isEqualTo(D.toString());
    assertThat(event.path("target").path("tag").asText()).isEqualTo("v1");
    assertThat(event.path("target").path("size").asLong()).isEqualTo(524);
    assertThat(event.path("target").path("length").asLong()).isEqualTo(524);
    assertThat(event.path("target").path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(event.path("source").path("region").asText()).isEqualTo("eastus");
  }

  @Test
  void everyTypeRoundTripsAlsoInsideTheWebhookEnvelope() {
    Notification quarantined = new Notification("id-2", NotificationType.QUARANTINED, Instant.parse("2026-11-27T14:01:02Z"),
        new RegionId("westeurope"), Optional.empty(), Optional.empty(), D, Optional.empty(), Optional.empty(), 4096,
        List.of("team/app@" + D));
    Notification replicated = new Notification("id-3", NotificationType.REPLICATED, Instant.parse("2026-11-27T14:01:03Z"),
        new RegionId("westeurope"), Optional.of(new RegionId("eastus")), Optional.of(new RepositoryName("team/app")), D,
        Optional.empty(), Optional.of("application/vnd.oci.image.index.v1+json"), 300, List.of());
    for (Notification n : List.of(push(), quarantined, replicated)) {
      assertThat(codec.decode(codec.encode(n))).isEqualTo(n);
      assertThat(codec.decodeEnvelope(codec.envelope(codec.encode(n)))).containsExactly(n);
    }
    assertThat(quarantined.key()).isEqualTo(D.toString());
    assertThat(replicated.key()).isEqualTo("team/app");
  }

  @Test
  void theKeyReadAloneIsTheDecodedEventsKey() {
    Notification quarantined = new Notification("id-2", NotificationType.QUARANTINED, Instant.parse("2026-11-27T14:01:02Z"),
        new RegionId("westeurope"), Optional.empty(), Optional.empty(), D, Optional.empty(), Optional.empty(), 4096,
        List.of("team/app@" + D));
    for (Notification n : List.of(push(), quarantined)) {
      assertThat(codec.key(codec.encode(n))).isEqualTo(n.key());
    }
    byte[] nullRepository = ("{\"id\":\"i\",\"timestamp\":\"2026-11-27T14:01:02Z\",\"action\":\"quarantined\",\"x\":[{\"a\":1}],"
        + "\"target\":{\"repository\":null,\"digest\":\"" + D + "\",\"size\":1},\"source\":{\"region\":\"eastus\"}}")
        .getBytes(UTF_8);
    assertThat(codec.key(nullRepository)).isEqualTo(codec.decode(nullRepository).key()).isEqualTo(D.toString());
  }

  @Test
  void aKeyIsNeverReadFromWhatIsNotANotification() {
    for (String bad : List.of("", "[]", "{\"target\":{\"repository\":\"Not/Valid\"}}", "{\"target\":{\"digest\":\"sha256:zz\"}}")) {
      assertThatThrownBy(() -> codec.key(bad.getBytes(UTF_8))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void somethingElseIsNotANotification() {
    assertThatThrownBy(() -> codec.decode("{\"id\":\"x\"}".getBytes(UTF_8))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode("not json".getBytes(UTF_8))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NotificationType.parse("pull")).hasMessageContaining("pull");
  }
}
