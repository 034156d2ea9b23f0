package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.embedded.EmbeddedKafkaBroker;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.TestCertificates;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.security.TlsFiles;
import dev.meridian.agent.security.TrustedCertificates;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two regions serving https only, with a certificate of a CA the test makes: clients trusting the CA (the JDK's
 * HttpClient, skopeo with a cert dir) push and pull; a client that does not trust it, or speaks plain http, gets
 * nothing; peer transfers and the admin fan-out between the regions run over https, trusting the CA bundle.
 */
class TlsIT {
  private static final Path RUN_DIR = Path.of("target", "it-runs", "TlsIT").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestCertificates certificates;
  private static EmbeddedKafkaBroker broker;
  private static final List<RegionAgent> agents = new ArrayList<>();
  private static HttpClient trusting;

  @BeforeAll
  static void startTwoTlsRegions() {
    Agents.deleteRecursively(RUN_DIR);
    certificates = TestCertificates.create(RUN_DIR.resolve("pki"));
    int kafkaPort = FreePort.consecutive(2);
    broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(RUN_DIR.resolve("kafka"), kafkaPort, kafkaPort + 1, true));
    int portA = FreePort.pick();
    int portB = FreePort.pick();
    Topology fleet = new Topology(broker.bootstrapServers(), 2, (short) 1, List.of(
        new Region(new RegionId("a"), URI.create("https://127.0.0.1:" + portA), true, RegionMode.READ_WRITE),
        new Region(new RegionId("b"), URI.create("https://127.0.0.1:" + portB), true, RegionMode.READ_WRITE)));
    SecurityConfig security = SecurityConfig.defaults()
        .withTls(new TlsFiles(certificates.serverCertificate(), certificates.serverKey()))
        .withTrustedCa(certificates.caCertificate())
        .withFleetKey(TestCredentials.FLEET_KEY);
    TransferConfig transfers = TransferConfig.builder().scanInterval(Duration.ofSeconds(1)).build();
    for (Region region : fleet.regions()) {
      agents.add(RegionAgent.start(new AgentConfig(region.id(), AgentConfig.DEFAULT_BIND, region.url().getPort(),
          RUN_DIR.resolve("regions").resolve(region.id().value()), Optional.of(fleet), transfers).withSecurity(security)));
    }
    trusting = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(Optional.of(certificates.caCertificate())))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    agents.forEach(RegionAgent::close);
    if (broker != null) broker.close();
  }

  @Test
  void aClientTrustingTheCaGetsTheApiOverHttps() throws Exception {
    RegionAgent a = agents.get(0);
    assertThat(a.url()).startsWith("https://");
    var response = trusting.send(HttpRequest.newBuilder(URI.create(a.url() + "/v2/")).header("Authorization", TestCredentials.authorization()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
  }

  @Test
  void aClientNotTrustingTheCaIsRefusedTheHandshake() {
    HttpClient jdkDefaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> jdkDefaults.send(HttpRequest.newBuilder(URI.create(agents.get(0).url() + "/v2/")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpOnTheTlsPortGetsNoAnswer() {
    URI plain = URI.create(agents.get(0).url().replace("https://", "http://") + "/v2/");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  @Test
  void skopeoPushesToOneRegionAndPullsFromTheOtherOverVerifiedTls() throws Exception {
    var layout = new OciLayoutWriter(RUN_DIR.resolve("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(7301, 300_000)));
    String a = agents.get(0).address().getPort() + "";
    String b = agents.get(1).address().getPort() + "";
    String certDir = certificates.caDir().toString();
    var skopeo = new Skopeo("127.0.0.1:" + a);

    skopeo.tryRun("copy", "--dest-tls-verify=true", "--dest-cert-dir", certDir, "--dest-creds", TestCredentials.creds(), "--preserve-digests", "--retry-times", "0",
        Skopeo.oci(layout.root(), "v1"), "docker://127.0.0.1:" + a + "/tls/app:v1").requireSuccess();

    // b learns the push from the log and copies the blobs from a over https (transfers trust the CA bundle).
    // (or, if asked before that, reads it through from a: over https too).
    URI manifestOnB = URI.create(agents.get(1).url() + "/v2/tls/app/manifests/v1");
    await("b serves the image").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(trusting.send(HttpRequest.newBuilder(manifestOnB).header("Accept", "application/vnd.oci.image.manifest.v1+json")
            .header("Authorization", TestCredentials.authorization()).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));
    Path pulled = RUN_DIR.resolve("pulled");
    Agents.deleteRecursively(pulled);
    skopeo.tryRun("copy", "--src-tls-verify=true", "--src-cert-dir", certDir, "--src-creds", TestCredentials.creds(), "--retry-times", "0",
        "docker://127.0.0.1:" + b + "/tls/app:v1", "oci:" + pulled + ":v1").requireSuccess();
    String inspected = skopeo.tryRun("inspect", "--tls-verify=true", "--cert-dir", certDir, "--creds", TestCredentials.creds(), "--raw",
        "docker://127.0.0.1:" + b + "/tls/app:v1").requireSuccess().stdout();
    assertThat(Digest.sha256Of(inspected.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(image.manifestDigest());

    var refused = skopeo.tryRun("inspect", "--tls-verify=true", "--creds", TestCredentials.creds(), "--retry-times", "0", "docker://127.0.0.1:" + b + "/tls/app:v1");
    assertThat(refused.exitCode()).as("without the CA skopeo must refuse the certificate").isNotZero();
  }

  @Test
  void theAdminFanOutReachesTheOtherRegionOverHttps() throws Exception {
    var response = trusting.send(HttpRequest.newBuilder(URI.create(agents.get(0).url() + "/admin/v1/regions"))
        .header("Authorization", TestCredentials.authorization()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode regions = JSON.readTree(response.body());
    JsonNode b = null;
    for (JsonNode region : regions.path("regions").isArray() ? regions.path("regions") : regions) {
      if ("b".equals(region.path("id").asText())) b = region;
    }
    assertThat(b).as("region b in %s", response.body()).isNotNull();
    assertThat(b.path("lastError").asText("")).as("b answered the fan-out: %s", b).doesNotContain("SSL", "certificate", "handshake");
    assertThat(b.path("url").asText()).startsWith("https://");
    // Just started, a region is creating until its (empty) seed is merged and replay has caught up once.
    await("b is a member that answered over https").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> {
          HttpResponse<String> again = trusting.send(HttpRequest.newBuilder(URI.create(agents.get(0).url() + "/admin/v1/regions"))
              .header("Authorization", TestCredentials.authorization()).build(), HttpResponse.BodyHandlers.ofString());
          JsonNode all = JSON.readTree(again.body());
          JsonNode now = null;
          for (JsonNode region : all.path("regions").isArray() ? all.path("regions") : all) {
            if ("b".equals(region.path("id").asText())) now = region;
          }
          assertThat(now).isNotNull();
          assertThat(now.path("state").asText()).as("b: %s", now).isIn("ready", "syncing");
        });
  }
}
