package dev.meridian.agent;

import dev.meridian.agent.it.support.TestCredentials;
import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionAgentTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<byte[]> send(RegionAgent agent, HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofByteArray());
  }

  private static HttpRequest.Builder at(RegionAgent agent, String path) {
    return HttpRequest.newBuilder(URI.create(agent.url() + path)).header("Authorization", TestCredentials.authorization());
  }

  @Test
  void pushedImageAndAHalfDoneUploadSurviveARestart(@TempDir Path dir) throws Exception {
    AgentConfig config = new AgentConfig(new RegionId("westeu"), "127.0.0.1", 0, dir);
    byte[] config1 = randomBytes(1, 100);
    byte[] layer = randomBytes(2, 200_000);
    byte[] manifest = TestImages.manifest(config1, List.of(layer));
    String location;
    try (RegionAgent agent = RegionAgent.start(config)) {
      assertThat(agent.url()).startsWith("http://127.0.0.1:");
      for (byte[] blob : List.of(config1, layer)) {
        HttpResponse<byte[]> done = send(agent, at(agent, "/v2/app/blobs/uploads/?digest=" + digest(blob))
            .POST(BodyPublishers.ofByteArray(blob)));
        assertThat(done.statusCode()).isEqualTo(201);
      }
      assertThat(send(agent, at(agent, "/v2/app/manifests/v1").header("Content-Type", TestImages.OCI_MANIFEST)
          .PUT(BodyPublishers.ofByteArray(manifest))).statusCode()).isEqualTo(201);

      location = send(agent, at(agent, "/v2/app/blobs/uploads/").POST(BodyPublishers.noBody()))
          .headers().firstValue("Location").orElseThrow();
      assertThat(send(agent, at(agent, location).method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOf(layer, 1000))))
          .statusCode()).isEqualTo(202);
    }

    try (RegionAgent agent = RegionAgent.start(config)) {
      HttpResponse<byte[]> pulled = send(agent, at(agent, "/v2/app/manifests/v1"));
      assertThat(pulled.body()).isEqualTo(manifest);
      assertThat(send(agent, at(agent, "/v2/app/blobs/" + digest(layer))).body()).isEqualTo(layer);

      assertThat(send(agent, at(agent, location)).headers().firstValue("Range")).contains("0-999");
      HttpResponse<byte[]> resumed = send(agent, at(agent, location).header("Content-Range", "1000-" + (layer.length - 1))
          .method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOfRange(layer, 1000, layer.length))));
      assertThat(resumed.statusCode()).isEqualTo(202);
      HttpResponse<byte[]> done = send(agent, at(agent, location + "?digest=" + digest(layer))
          .PUT(BodyPublishers.noBody()));
      assertThat(done.statusCode()).isEqualTo(201);
    }
  }

  @Test
  void aTakenPortFailsTheStartAndReleasesTheState(@TempDir Path dir) {
    try (RegionAgent first = RegionAgent.start(new AgentConfig(new RegionId("a"), "127.0.0.1", 0, dir.resolve("a")))) {
      AgentConfig clash = new AgentConfig(new RegionId("b"), "127.0.0.1", first.address().getPort(), dir.resolve("b"));
      assertThatThrownBy(() -> RegionAgent.start(clash)).isInstanceOf(Exception.class);
      // The failed start closed its state: the same directory opens again.
      try (RegionAgent again = RegionAgent.start(new AgentConfig(new RegionId("b"), "127.0.0.1", 0, dir.resolve("b")))) {
        assertThat(again.address().getPort()).isPositive();
      }
    }
  }

  @Test
  void configIsValidated(@TempDir Path dir) {
    assertThatThrownBy(() -> new AgentConfig(new RegionId("a"), "127.0.0.1", 70_000, dir)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AgentConfig(new RegionId("a"), " ", 1, dir)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new AgentConfig(new RegionId("a"), "127.0.0.1", 1, dir).stateDir()).isEqualTo(dir.resolve("state"));
  }
}
