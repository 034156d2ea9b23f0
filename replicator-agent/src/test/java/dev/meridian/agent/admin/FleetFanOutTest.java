package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FleetFanOutTest {
  @Test
  void answersKeepTheirOrderAndFailuresAreReplacedWithTheReason() {
    List<String> results = FleetFanOut.gather(List.of("a", "b", "c"), region -> switch (region) {
      case "a" -> CompletableFuture.supplyAsync(() -> "a:ready");
      case "b" -> CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
      default -> throw new IllegalArgumentException("bad url");
    }, Duration.ofSeconds(5), (region, error) -> region + ":" + error);
    assertThat(results).containsExactly("a:ready", "b:connection refused", "c:bad url");
  }

  @Test
  void silentRegionsCostOneTimeoutTogetherNotOneEach() {
    long started = System.nanoTime();
    List<String> results = FleetFanOut.gather(List.of("a", "b", "c"),
        region -> region.equals("a") ? CompletableFuture.completedFuture("a:ready") : new CompletableFuture<>(),
        Duration.ofMillis(300), (region, error) -> region + ":" + error);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(results).containsExactly("a:ready", "b:no answer within 300 ms", "c:no answer within 300 ms");
    assertThat(took).isLessThan(Duration.ofMillis(3000)); // two sequential timeouts would take 600 ms at least; this is loose for busy machines
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
