package dev.meridian.core.event;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.link;
import static dev.meridian.core.state.StateFixtures.manifest;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static dev.meridian.core.state.StateFixtures.tagDeleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.replication.RegisterEvents;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.ManifestRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
  private final SnapshotCodec codec = new SnapshotCodec();
  private final RegisterEvents events = new RegisterEvents(EAST);

  private SnapshotCodec.Line roundTrip(SnapshotCodec.Line line) {
    byte[] bytes = codec.encode(line);
    assertThat(bytes[bytes.length - 1]).as("one line each").isEqualTo((byte) '\n');
    assertThat(Arrays.copyOf(bytes, bytes.length - 1)).doesNotContain((byte) '\n');
    return codec.decode(Arrays.copyOf(bytes, bytes.length - 1));
  }

  @Test
  void theHeaderKeepsTheSourceAndEveryPartitionsOffset() {
    var header = new SnapshotCodec.Header(EAST, Map.of(new LogPosition("meridian.events", 0), 29L,
        new LogPosition("meridian.events", 5), 24L));
    assertThat(roundTrip(header)).isEqualTo(header);
    assertThat(roundTrip(new SnapshotCodec.End(54))).isEqualTo(new SnapshotCodec.End(54));
  }

  @Test
  void everyKindOfRegisterTravelsAsTheEventThatWritesItWithItsOwnStamp() {
    ManifestRecord referrer = manifest("team/app", digest(2), Optional.of(digest(1)), true, stamp(10, WEST));
    for (var register : new Object[] {referrer, referrer.deletedAt(stamp(11, EAST)), tag("team/app", "v1", digest(2), stamp(12, WEST)),
        tagDeleted("team/app", "old", stamp(13, EAST)), link("team/app", digest(3), true, stamp(14, WEST)),
        link("team/app", digest(4), false, stamp(15, WEST))}) {
      ReplicationEvent event = register instanceof ManifestRecord m ? events.of(m)
          : register instanceof dev.meridian.core.state.TagRecord t ? events.of(t)
          : events.of((dev.meridian.core.state.BlobLinkRecord) register);
      assertThat(roundTrip(new SnapshotCodec.Register(event))).isEqualTo(new SnapshotCodec.Register(event));
    }
    ManifestPut put = (ManifestPut) events.of(referrer);
    assertThat(put.stamp()).isEqualTo(referrer.stamp());
    assertThat(put.subject()).isEqualTo(referrer.subject());
    assertThat(put.references()).isEqualTo(referrer.references());
    assertThat(events.of(tagDeleted("team/app", "old", stamp(13, EAST)))).isInstanceOf(TagDelete.class);
    ReplicaAck ack = (ReplicaAck) events.replica(repo("team/app"), digest(2), WEST);
    assertThat(ack.region()).isEqualTo(WEST);
    assertThat(ack.hlc()).isEqualTo(HlcTimestamp.ZERO);
  }

  @Test
  void eachRegisterGetsItsOwnId() {
    assertThat(events.of(tag("r", "a", digest(1), stamp(1, EAST))).id())
        .isNotEqualTo(events.of(tag("r", "a", digest(1), stamp(1, EAST))).id());
  }

  @Test
  void linesThatAreNoneOfTheThreeAreRefused() {
    for (String bad : new String[] {"not json", "[1,2]", "{\"snapshot\":2,\"region\":\"eastus\",\"offsets\":[]}",
        "{\"snapshot\":1,\"region\":\"eastus\",\"offsets\":[{\"topic\":\"t\",\"partition\":0}]}",
        "{\"schema\":1,\"type\":\"tag.put\"}"}) {
      assertThatThrownBy(() -> codec.decode(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
