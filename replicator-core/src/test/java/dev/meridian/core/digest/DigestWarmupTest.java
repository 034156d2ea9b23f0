package dev.meridian.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DigestWarmupTest {

  @Test
  void theWarmupHashesEveryByteItClaimsThroughBothUpdatePaths() throws Exception {
    int bytes = 3 * 64 * 1024 + 1000; // array, direct, array, then a partial direct chunk
    MessageDigest reference = MessageDigest.getInstance("SHA-256");
    byte[] filler = DigestWarmup.filler();
    for (int done = 0; done < bytes; done += filler.length) reference.update(filler, 0, Math.min(filler.length, bytes - done));

    assertThat(DigestWarmup.run(bytes)).isEqualTo(new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(reference.digest())));
  }

  @Test
  void theFullWarmupIsFourMebibytesOfFiller() throws Exception {
    MessageDigest reference = MessageDigest.getInstance("SHA-256");
    byte[] filler = DigestWarmup.filler();
    for (int done = 0; done < DigestWarmup.BYTES; done += filler.length) reference.update(filler);

    assertThat(DigestWarmup.run()).isEqualTo(new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(reference.digest())));
  }

  @Test
  void inTheBackgroundItRunsOnALowPriorityDaemonThreadThatEnds() {
    Thread thread = DigestWarmup.inBackground();

    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
    assertThat(thread.getName()).isEqualTo("meridian-digest-warmup");
    await().atMost(Duration.ofSeconds(30)).until(() -> !thread.isAlive());
  }
}
