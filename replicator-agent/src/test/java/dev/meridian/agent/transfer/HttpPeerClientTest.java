package dev.meridian.agent.transfer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.Region;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP peer client against a real socket. */
class HttpPeerClientTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");
  private static final TransferConfig CONFIG = TransferConfig.builder()
      .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10))
      .build();
  /** Short enough for a test to wait for, long enough for a busy machine to send the headers in. */
  private static final Duration SHORT_READ_TIMEOUT = Duration.ofSeconds(1);

  private final ReadTimeouts readTimeouts = new ReadTimeouts();
  private final FaultyPeer peer = FaultyPeerFixtures.start();
  private final PeerClient client = clientOf(peer.url().toString());
  private final byte[] blob = BlobFixtures.randomBytes(300_000, 7);
  private final Digest digest = peer.addBlob(blob);

  @AfterEach
  void close() {
    peer.close();
    readTimeouts.close();
  }

  @Test
  void aBlobFromByteZeroIsTheWholeBlobWithItsSize() throws IOException {
    try (PeerBlob opened = client.openBlob(REPO, digest, 0)) {
      assertThat(opened.rangeHonoured()).isTrue();
      assertThat(opened.totalSize()).hasValue(blob.length);
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThat(peer.requests()).singleElement().satisfies(r -> assertThat(r.range()).isEmpty());
  }

  @Test
  void aBlobFromAnOffsetAsksForTheRangeAndGetsTheTail() throws IOException {
    try (PeerBlob opened = client.openBlob(REPO, digest, 100_000)) {
      assertThat(opened.rangeHonoured()).isTrue();
      assertThat(opened.totalSize()).hasValue(blob.length);
      assertThat(opened.content().readAllBytes()).isEqualTo(Arrays.copyOfRange(blob, 100_000, blob.length));
    }
    assertThat(peer.requests()).singleElement().satisfies(r -> assertThat(r.range()).contains("bytes=100000-"));
  }

  @Test
  void aPeerIgnoringTheRangeIsReportedSoTheBodyIsKnownToStartAtZero() throws IOException {
    peer.fault(new FaultyPeer.IgnoreRange());
    try (PeerBlob opened = client.openBlob(REPO, digest, 100_000)) {
      assertThat(opened.rangeHonoured()).isFalse();
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
  }

  @Test
  void aMissingBlobIsBlobUnknownAndAMissingManifestManifestUnknown() {
    Digest absent = Digest.sha256Of("absent".getBytes(UTF_8));
    assertThatThrownBy(() -> client.openBlob(REPO, absent, 0))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UNKNOWN));
    assertThatThrownBy(() -> client.fetchManifest(REPO, absent))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
  }

  @Test
  void serverErrorsAndTooManyRequestsAreOutagesNotAnswers() {
    for (int status : new int[] {500, 502, 503, 429}) {
      peer.faultOnce(new FaultyPeer.Status(status));
      assertThatThrownBy(() -> client.openBlob(REPO, digest, 0))
          .isInstanceOf(PeerUnavailableException.class)
          .hasMessageContaining("HTTP " + status);
    }
  }

  @Test
  void aRefusedConnectionIsAnOutage() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    PeerClient nobody = clientOf("http://127.0.0.1:" + closedPort);
    assertThatThrownBy(() -> nobody.openBlob(REPO, digest, 0)).isInstanceOf(PeerUnavailableException.class);
    assertThatThrownBy(() -> nobody.fetchManifest(REPO, digest)).isInstanceOf(PeerUnavailableException.class);
  }

  @Test
  void aBodyThatStallsFailsTheReadAfterTheReadTimeoutInsteadOfHanging() {
    peer.fault(new FaultyPeer.StallAfter(50_000));
    PeerClient impatient = new HttpPeerClient(
        Region.of("eastus", peer.url().toString()), HttpPeerClient.newHttpClient(CONFIG), SHORT_READ_TIMEOUT, readTimeouts);
    PeerBlob opened = impatient.openBlob(REPO, digest, 0);
    try (InputStream in = opened.content()) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(SocketTimeoutException.class);
    } catch (IOException ignored) {
      // closing a timed-out stream may complain too
    }
  }

  @Test
  void aLargeBlobIsGivenTimeToBeHashedByThePeerBeforeItAnswers() throws IOException {
    peer.fault(new FaultyPeer.AnswerAfter(2_000));
    var impatient = new HttpPeerClient(
        Region.of("eastus", peer.url().toString()), HttpPeerClient.newHttpClient(CONFIG), SHORT_READ_TIMEOUT, readTimeouts);
    long hashedInFourSeconds = 4 * HttpPeerClient.PEER_VERIFY_BYTES_PER_SECOND;

    try (PeerBlob opened = impatient.openBlob(REPO, digest, 0, hashedInFourSeconds)) {
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThatThrownBy(() -> impatient.openBlob(REPO, digest, 0, 0)).isInstanceOf(PeerUnavailableException.class);
  }

  @Test
  void aLargeBlobsBodyThatStallsStillFailsAfterThePlainReadTimeout() {
    peer.fault(new FaultyPeer.StallAfter(50_000));
    var impatient = new HttpPeerClient(
        Region.of("eastus", peer.url().toString()), HttpPeerClient.newHttpClient(CONFIG), SHORT_READ_TIMEOUT, readTimeouts);
    PeerBlob opened = impatient.openBlob(REPO, digest, 0, 3600 * HttpPeerClient.PEER_VERIFY_BYTES_PER_SECOND);
    long start = System.nanoTime();
    try (InputStream in = opened.content()) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(SocketTimeoutException.class);
    } catch (IOException ignored) {
      // closing a timed-out stream may complain too
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the hour allowed for the answer").isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void theWaitForAnAnswerGrowsWithTheBlobBeyondTheIntRange() {
    var timed = new HttpPeerClient(
        Region.of("eastus", peer.url().toString()), HttpPeerClient.newHttpClient(CONFIG), Duration.ofSeconds(30), readTimeouts);

    assertThat(timed.answerTimeout(0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(timed.answerTimeout(4L << 30)).isBetween(Duration.ofSeconds(30 + 127), Duration.ofSeconds(30 + 129));
    assertThat(timed.answerTimeout(100L << 30)).isGreaterThan(Duration.ofMinutes(50));
  }

  @Test
  void aConnectionDroppedMidBodyFailsTheRead() {
    peer.fault(new FaultyPeer.DropAfter(100_000));
    PeerBlob opened = client.openBlob(REPO, digest, 0);
    assertThatThrownBy(() -> opened.content().readAllBytes()).isInstanceOf(IOException.class);
    opened.close();
  }

  @Test
  void aManifestIsFetchedByteForByteAskingForEveryManifestMediaType() {
    byte[] manifest = "{\"schemaVersion\":2,  \"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}".getBytes(UTF_8);
    Digest manifestDigest = peer.addManifest(manifest);
    assertThat(client.fetchManifest(REPO, manifestDigest)).isEqualTo(manifest);
    assertThat(peer.requestsFor(manifestDigest)).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("manifests");
      assertThat(r.accept().orElseThrow().split(", ")).containsExactlyInAnyOrder(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");
    });
  }

  private PeerClient clientOf(String url) {
    return new HttpPeerClient(Region.of("eastus", url), HttpPeerClient.newHttpClient(CONFIG), CONFIG.readTimeout(), readTimeouts);
  }
}
