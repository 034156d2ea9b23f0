package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.frontdoor.CidrBlock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {
  private static final InetAddress A = address("10.0.0.1");
  private static final InetAddress B = address("10.0.0.2");
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstIsAdmittedAndTheNextRequestWaitsForOneToken() {
    var limiter = new ClientRateLimiter(ClientLimits.defaults().withRate(2, 3), now::get);
    for (int i = 0; i < 3; i++) assertThat(limiter.admit(A)).as("request %d", i).isEmpty();

    assertThat(limiter.admit(A)).hasValueSatisfying(wait ->
        assertThat(wait).isGreaterThan(Duration.ofMillis(490)).isLessThanOrEqualTo(Duration.ofMillis(500)));
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(limiter.admit(A)).isEmpty();
  }

  @Test
  void eachClientHasItsOwnBucket() {
    var limiter = new ClientRateLimiter(ClientLimits.defaults().withRate(1, 1), now::get);
    assertThat(limiter.admit(A)).isEmpty();
    assertThat(limiter.admit(A)).isPresent();
    assertThat(limiter.admit(B)).isEmpty();
  }

  @Test
  void withoutARateEveryRequestIsAdmitted() {
    var limiter = new ClientRateLimiter(ClientLimits.defaults(), now::get);
    for (int i = 0; i < 10_000; i++) assertThat(limiter.admit(A)).isEmpty();
    assertThat(limiter.trackedClients()).isZero();
  }

  @Test
  void exemptRangesAreNeverLimited() {
    var limits = ClientLimits.defaults().withRate(1, 1).withMaxConcurrentUploads(1).withExempt(List.of(CidrBlock.parse("10.0.0.0/31")));
    var limiter = new ClientRateLimiter(limits, now::get);
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.admit(A)).isEmpty();
      assertThat(limiter.startUpload(A)).isTrue();
    }
    assertThat(limiter.admit(B)).isEmpty();
    assertThat(limiter.admit(B)).isPresent();
  }

  @Test
  void concurrentUploadsAreCappedPerClientAndFreedWhenDone() {
    var limiter = new ClientRateLimiter(ClientLimits.defaults().withMaxConcurrentUploads(2), now::get);
    assertThat(limiter.startUpload(A)).isTrue();
    assertThat(limiter.startUpload(A)).isTrue();
    assertThat(limiter.startUpload(A)).isFalse();
    assertThat(limiter.startUpload(B)).isTrue();

    limiter.uploadDone(A);
    assertThat(limiter.startUpload(A)).isTrue();
    limiter.uploadDone(A);
    limiter.uploadDone(A);
    assertThat(limiter.uploadsInProgress(A)).isZero();
  }

  @Property
  void overAnyStretchOfTimeAdmissionsNeverExceedBurstPlusRateTimesTime(
      @ForAll @IntRange(min = 1, max = 50) int rate, @ForAll @IntRange(min = 1, max = 50) int burst,
      @ForAll @IntRange(min = 1, max = 2000) int requests, @ForAll @IntRange(min = 1, max = 50) int stepMillis) {
    AtomicLong clock = new AtomicLong(0);
    var limiter = new ClientRateLimiter(ClientLimits.defaults().withRate(rate, burst), clock::get);
    int admitted = 0;
    for (int i = 0; i < requests; i++) {
      if (limiter.admit(A).isEmpty()) admitted++;
      clock.addAndGet(Duration.ofMillis(stepMillis).toNanos());
    }
    double seconds = (double) requests * stepMillis / 1000;
    assertThat(admitted).isLessThanOrEqualTo((int) Math.floor(burst + rate * seconds) + 1);
    // and a patient client is not starved: asking every step, it gets a token at least every
    // floor(token interval / step) + 1 steps (the + 1: a refill landing a hair under a whole token, in floating
    // point, waits one more step)
    int stepsPerToken = (int) Math.floor(1000.0 / (rate * stepMillis)) + 1;
    assertThat(admitted).isGreaterThanOrEqualTo(requests / stepsPerToken - 1);
  }

  @Test
  void quietClientsAreForgotten() {
    var limiter = new ClientRateLimiter(ClientLimits.defaults().withRate(1000, 10), now::get);
    assertThat(limiter.admit(A)).isEmpty();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    for (int i = 0; i < 5000; i++) {
      limiter.admit(B);
      now.addAndGet(Duration.ofMillis(1).toNanos());
    }
    assertThat(limiter.trackedClients()).isEqualTo(1);
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
