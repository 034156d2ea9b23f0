package dev.meridian.agent.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The prober against a real HTTP server on loopback that plays a region's probe and status endpoints. */
class HealthProberTest {
  private static final RegionId JOINER = new RegionId("northeurope");

  private final AtomicInteger readyz = new AtomicInteger(200);
  private final AtomicReference<String> state = new AtomicReference<>("creating");
  private final AtomicInteger statusCode = new AtomicInteger(200);
  private final RegionHealth health = new RegionHealth();
  private HttpServer region;
  private HealthProber prober;

  @AfterEach
  void stop() {
    if (prober != null) prober.close();
    if (region != null) region.stop(0);
  }

  private void start() throws IOException {
    region = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    region.createContext("/readyz", exchange -> answer(exchange, readyz.get(), "{}"));
    region.createContext("/admin/v1/region", exchange -> answer(exchange, statusCode.get(),
        "{\"id\":\"northeurope\",\"state\":\"" + state.get() + "\",\"routingEnabled\":true}"));
    region.start();
    Topology fleet = new Topology("127.0.0.1:9092", 1, (short) 1,
        List.of(Region.of(JOINER.value(), "http://127.0.0.1:" + region.getAddress().getPort())));
    prober = new HealthProber(fleet, health, Duration.ofMillis(100)).start();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void aRegionThatAnswersReadyzButIsStillCreatingIsMarkedCreatingUntilItIsReady() throws IOException {
    start();

    await().atMost(Duration.ofSeconds(10)).until(() -> health.isCreating(JOINER));
    assertThat(health.isUp(JOINER)).isTrue();

    state.set("syncing");
    await().atMost(Duration.ofSeconds(10)).until(() -> !health.isCreating(JOINER));
    assertThat(health.isUp(JOINER)).isTrue();
  }

  @Test
  void aRegionWithoutAStatusEndpointIsNotCreating() throws IOException {
    statusCode.set(404);
    health.markCreating(JOINER, true);
    start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !health.isCreating(JOINER));
    assertThat(health.isUp(JOINER)).isTrue();
  }

  @Test
  void aRegionWhoseReadyzFailsIsDownAndNotAskedItsState() throws IOException {
    readyz.set(503);
    start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !health.isUp(JOINER));
    assertThat(health.isCreating(JOINER)).isFalse();
  }
}
