package dev.meridian.agent.repair;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedBlobsTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final VerifiedBlobs verified = new VerifiedBlobs(Duration.ofMinutes(10), now::get);
  private final Digest digest = Digest.sha256Of(("blob").getBytes(StandardCharsets.UTF_8));
  private final VerifiedBlobs.FileStamp stamp = new VerifiedBlobs.FileStamp(4, Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void aBlobNeverVerifiedIsNotTrusted() {
    assertThat(verified.stillValid(digest, stamp)).isFalse();
  }

  @Test
  void aVerdictHoldsWhileTheFileKeepsItsStampWithinTheTimeToLive() {
    verified.remember(digest, stamp);
    now.addAndGet(Duration.ofMinutes(9).toNanos());
    assertThat(verified.stillValid(digest, stamp)).isTrue();
  }

  @Test
  void aVerdictExpires() {
    verified.remember(digest, stamp);
    now.addAndGet(Duration.ofMinutes(10).toNanos());
    assertThat(verified.stillValid(digest, stamp)).isFalse();
  }

  @Test
  void aFileWrittenSinceTheVerdictIsHashedAgain() {
    verified.remember(digest, stamp);
    var rewritten = new VerifiedBlobs.FileStamp(4, stamp.modified().plusMillis(1));
    assertThat(verified.stillValid(digest, rewritten)).isFalse();
    assertThat(verified.stillValid(digest, stamp)).as("the stale verdict is dropped").isFalse();
  }

  @Test
  void aForgottenVerdictNoLongerHolds() {
    verified.remember(digest, stamp);
    verified.forget(digest);
    assertThat(verified.stillValid(digest, stamp)).isFalse();
  }

  @Test
  void aFilePublishedByTheStoreIsTrustedWithTheStampItWasPublishedWith() {
    verified.published(digest, 4, stamp.modified());

    assertThat(verified.stillValid(digest, stamp)).isTrue();
    assertThat(verified.stillValid(digest, new VerifiedBlobs.FileStamp(4, stamp.modified().plusNanos(1)))).isFalse();
  }

  @Test
  void atTheBoundExpiredVerdictsMakeRoomAndFreshOnesAreKept() {
    for (int i = 0; i < VerifiedBlobs.MAX_ENTRIES - 1; i++) {
      verified.remember(Digest.sha256Of(("old" + i).getBytes(StandardCharsets.UTF_8)), stamp);
    }
    now.addAndGet(Duration.ofMinutes(10).toNanos()); // all of those expire
    verified.remember(digest, stamp); // the last free place
    Digest next = Digest.sha256Of(("next").getBytes(StandardCharsets.UTF_8));
    verified.remember(next, stamp); // at the bound: the expired go, the fresh one stays

    assertThat(verified.stillValid(digest, stamp)).isTrue();
    assertThat(verified.stillValid(next, stamp)).isTrue();
  }
}
