package dev.meridian.core.state.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acknowledgement point holds: every batch whose apply returned is there after the writer is killed with SIGKILL. */
class KillDuringWritesIT {
  private static final int ACKS_BEFORE_KILL = 200;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedBatchSurvivesKillMinus9() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process writer = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classpath, AckingWriter.class.getName(), dir.resolve("state").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    int acked = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8))) {
      for (String line; acked < ACKS_BEFORE_KILL && (line = out.readLine()) != null; ) {
        acked = Integer.parseInt(line.substring("acked ".length()));
      }
      writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, whatever batch was in flight is cut
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).isEqualTo(ACKS_BEFORE_KILL);

    try (RegistryState state = RocksDbRegistryState.open(dir.resolve("state"))) {
      for (int n = 1; n <= acked; n++) {
        assertThat(state.findTag(StateFixtures.repo("app"), new Tag("t" + n))).as("tag t%d", n).isPresent();
      }
      // The batch in flight at the kill may or may not be there, but never half: its outbox entry goes with its tag.
      int tags = state.listTags(StateFixtures.repo("app"), Optional.empty(), 10_000).size();
      assertThat(state.outboxSize()).isEqualTo(tags);
      assertThat(state.readOutbox(10_000)).extracting(e -> new String(e.payload(), UTF_8))
          .startsWith("tag.put t1", "tag.put t2");
      assertThat(state.readOutbox(10_000)).extracting(OutboxEntry::sequence).isSorted().doesNotHaveDuplicates();
    }
  }
}
