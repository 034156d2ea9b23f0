package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.CredentialDelete;
import dev.meridian.core.event.CredentialPut;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.replication.LocalChangeEvents;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialRegisterTest {
  @TempDir Path dir;

  private static StateWrite put(String name, String value, long millis) {
    return new StateWrite.PutCredential(new CredentialRecord(name, Optional.ofNullable(value), new Stamp(new HlcTimestamp(millis, 0), EAST)));
  }

  @Test
  void aDeletionWithAHigherStampWinsWhateverOrderTheWritesArriveIn() {
    try (var state = RocksDbRegistryState.open(dir.resolve("a")); var other = RocksDbRegistryState.open(dir.resolve("b"))) {
      state.apply(StateBatch.of(put("ci", "{\"v\":1}", 10)));
      state.apply(StateBatch.of(put("ci", null, 20)));
      other.apply(StateBatch.of(put("ci", null, 20)));
      other.apply(StateBatch.of(put("ci", "{\"v\":1}", 10)));
      assertThat(state.findCredential("ci")).get().matches(CredentialRecord::isDeleted);
      assertThat(other.findCredential("ci")).isEqualTo(state.findCredential("ci"));
      assertThat(state.listCredentials()).extracting(CredentialRecord::name).containsExactly("ci");
    }
  }

  @Test
  void aCredentialSurvivesAReopen() {
    try (var state = RocksDbRegistryState.open(dir)) {
      state.apply(StateBatch.of(put("ci", "{\"hash\":\"x\"}", 10), put("bot", "{}", 11)));
    }
    try (var state = RocksDbRegistryState.open(dir)) {
      assertThat(state.findCredential("ci").flatMap(CredentialRecord::value)).contains("{\"hash\":\"x\"}");
      assertThat(state.listCredentials()).extracting(CredentialRecord::name).containsExactly("bot", "ci");
    }
  }

  @Test
  void aLocalCredentialWriteBecomesACredentialEventAndAReplicatedOneDoesNot() {
    var changes = new LocalChangeEvents(EAST, () -> "id-1", digest -> 0);
    List<ReplicationEvent> own = changes.of(StateBatch.of(put("ci", "{}", 10)));
    assertThat(own).singleElement().isInstanceOf(CredentialPut.class);
    assertThat(changes.of(StateBatch.of(put("ci", null, 11)))).singleElement().isInstanceOf(CredentialDelete.class);
    var replicated = new StateWrite.PutCredential(new CredentialRecord("ci", Optional.empty(), new Stamp(new HlcTimestamp(12, 0), WEST)));
    assertThat(changes.of(StateBatch.of(replicated))).isEmpty();
    var codec = new EventCodec();
    assertThat(codec.decode(codec.encode(own.get(0)))).isEqualTo(own.get(0));
    assertThat(new String(codec.encode(own.get(0)), java.nio.charset.StandardCharsets.UTF_8)).contains("\"type\":\"credential.put\"");
  }
}
