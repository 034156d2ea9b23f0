package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import java.nio.file.Path;

/**
 * A child process for {@link KillDuringWritesIT}: applies batch after batch (a tag and an outbox entry
 * each) and prints {@code acked N} once batch N's apply returned, the way a push answers 201. It never
 * stops by itself; the test kills it with SIGKILL.
 */
public final class AckingWriter {
  private AckingWriter() {}

  public static void main(String[] args) {
    RegistryState state = RocksDbRegistryState.open(Path.of(args[0]));
    for (int n = 1; ; n++) {
      state.apply(StateBatch.builder()
          .putTag(tag("app", "t" + n, digest(n), stamp(n, EAST)))
          .appendOutbox(("tag.put t" + n).getBytes(UTF_8))
          .build());
      System.out.println("acked " + n);
      System.out.flush();
    }
  }
}
