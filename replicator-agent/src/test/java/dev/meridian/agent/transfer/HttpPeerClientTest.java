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
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP peer client against a real socket. */
class HttpPeerClientTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");
  private static final TransferConfig CONFIG = TransferConfig.builder()
      .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10))
      .build();
  /** An expected size that has a blob read over a connection of its own. */
  private static final long OWN_CONNECTION = HttpPeerClient.SOCKET_BODY_MIN_BYTES;
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

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aBlobFromByteZeroIsTheWholeBlobWithItsSize(long expectedSize) throws IOException {
    try (PeerBlob opened = client.openBlob(REPO, digest, 0, expectedSize)) {
      assertThat(opened.readyBytes().isPresent()).as("read over its own connection").isEqualTo(expectedSize == OWN_CONNECTION);
      assertThat(opened.rangeHonoured()).isTrue();
      assertThat(opened.totalSize()).hasValue(blob.length);
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThat(peer.requests()).singleElement().satisfies(r -> assertThat(r.range()).isEmpty());
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aBlobFromAnOffsetAsksForTheRangeAndGetsTheTail(long expectedSize) throws IOException {
    try (PeerBlob opened = client.openBlob(REPO, digest, 100_000, expectedSize)) {
      assertThat(opened.rangeHonoured()).isTrue();
      assertThat(opened.totalSize()).hasValue(blob.length);
      assertThat(opened.content().readAllBytes()).isEqualTo(Arrays.copyOfRange(blob, 100_000, blob.length));
    }
    assertThat(peer.requests()).singleElement().satisfies(r -> assertThat(r.range()).contains("bytes=100000-"));
    assertAskedOnce(expectedSize);
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aPeerIgnoringTheRangeIsReportedSoTheBodyIsKnownToStartAtZero(long expectedSize) throws IOException {
    peer.fault(new FaultyPeer.IgnoreRange());
    try (PeerBlob opened = client.openBlob(REPO, digest, 100_000, expectedSize)) {
      assertThat(opened.rangeHonoured()).isFalse();
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertAskedOnce(expectedSize);
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aMissingBlobIsBlobUnknownAndAMissingManifestManifestUnknown(long expectedSize) {
    Digest absent = Digest.sha256Of("absent".getBytes(UTF_8));
    assertThatThrownBy(() -> client.openBlob(REPO, absent, 0, expectedSize))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UNKNOWN));
    assertAskedOnce(expectedSize);
    assertThatThrownBy(() -> client.fetchManifest(REPO, absent))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void serverErrorsAndTooManyRequestsAreOutagesNotAnswers(long expectedSize) {
    for (int status : new int[] {500, 502, 503, 429}) {
      peer.faultOnce(new FaultyPeer.Status(status));
      assertThatThrownBy(() -> client.openBlob(REPO, digest, 0, expectedSize))
          .isInstanceOf(PeerUnavailableException.class)
          .hasMessageContaining("HTTP " + status);
    }
    assertThat(peer.requests()).as("asked once each, not again by another client").hasSize(4);
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aRefusedConnectionIsAnOutage(long expectedSize) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    PeerClient nobody = clientOf("http://127.0.0.1:" + closedPort);
    assertThatThrownBy(() -> nobody.openBlob(REPO, digest, 0, expectedSize)).isInstanceOf(PeerUnavailableException.class);
    assertThatThrownBy(() -> nobody.fetchManifest(REPO, digest)).isInstanceOf(PeerUnavailableException.class);
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aBodyThatStallsFailsTheReadAfterTheReadTimeoutInsteadOfHanging(long expectedSize) {
    peer.fault(new FaultyPeer.StallAfter(50_000));
    PeerClient impatient = withReadTimeout(SHORT_READ_TIMEOUT);
    PeerBlob opened = impatient.openBlob(REPO, digest, 0, expectedSize);
    try (InputStream in = opened.content()) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(SocketTimeoutException.class);
    } catch (IOException ignored) {
      // closing a timed-out stream may complain too
    }
    assertAskedOnce(expectedSize);
  }

  /** On its own connection, and through the JDK client (a peer reached through a proxy is asked with it). */
  @ParameterizedTest(name = "through a proxy: {0}")
  @ValueSource(booleans = {false, true})
  void aLargeBlobIsGivenTimeToBeHashedByThePeerBeforeItAnswers(boolean throughProxy) throws IOException {
    peer.fault(new FaultyPeer.AnswerAfter(2_000));
    var impatient = throughProxy ? viaProxy(SHORT_READ_TIMEOUT) : withReadTimeout(SHORT_READ_TIMEOUT);
    long hashedInFourSeconds = 4 * HttpPeerClient.PEER_VERIFY_BYTES_PER_SECOND;

    try (PeerBlob opened = impatient.openBlob(REPO, digest, 0, hashedInFourSeconds)) {
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThatThrownBy(() -> impatient.openBlob(REPO, digest, 0, 0)).isInstanceOf(PeerUnavailableException.class);
  }

  @Test
  void aLargeBlobsBodyThatStallsStillFailsAfterThePlainReadTimeout() {
    peer.fault(new FaultyPeer.StallAfter(50_000));
    var impatient = withReadTimeout(SHORT_READ_TIMEOUT);
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
    var timed = withReadTimeout(Duration.ofSeconds(30));

    assertThat(timed.answerTimeout(0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(timed.answerTimeout(4L << 30)).isBetween(Duration.ofSeconds(30 + 127), Duration.ofSeconds(30 + 129));
    assertThat(timed.answerTimeout(100L << 30)).isGreaterThan(Duration.ofMinutes(50));
  }

  @Test
  void anAbsurdSizeFromADescriptorAddsAtMostTwoHoursToTheWait() {
    var timed = withReadTimeout(Duration.ofSeconds(30));

    Duration wait = timed.answerTimeout(Long.MAX_VALUE); // a manifest's claim: read-through passes it on

    assertThat(wait).isBetween(Duration.ofSeconds(30).plusHours(2), Duration.ofSeconds(31).plusHours(2));
    assertThat(wait.toNanos()).isPositive(); // what the clients compute with: no overflow
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void aConnectionDroppedMidBodyFailsTheRead(long expectedSize) {
    peer.fault(new FaultyPeer.DropAfter(100_000));
    PeerBlob opened = client.openBlob(REPO, digest, 0, expectedSize);
    assertThatThrownBy(() -> opened.content().readAllBytes()).isInstanceOf(IOException.class);
    opened.close();
    assertAskedOnce(expectedSize);
  }

  @ParameterizedTest(name = "expected size {0}")
  @ValueSource(longs = {0, OWN_CONNECTION})
  void anOffsetPastTheBlobIsRangeInvalidOnEitherPath(long expectedSize) {
    assertThatThrownBy(() -> client.openBlob(REPO, digest, blob.length + 1, expectedSize))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.RANGE_INVALID));
    assertAskedOnce(expectedSize);
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

  @Test
  void aLargeBlobIsAskedForOnAConnectionOfItsOwnThatAMeridianPeerRecognises() throws IOException {
    try (PeerBlob opened = client.openBlob(REPO, digest, 0, OWN_CONNECTION)) {
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThat(peer.requests()).singleElement().satisfies(r -> assertThat(r.userAgent()).contains(HttpPeerClient.USER_AGENT));
  }

  @Test
  void aLargeBlobsAnswerThatIsNotFramedByItsLengthIsAskedForAgainWithThePooledClientWhichAsksThatPeerFromThenOn()
      throws IOException {
    peer.faultOnce(new FaultyPeer.Chunked());
    try (PeerBlob opened = client.openBlob(REPO, digest, 0, OWN_CONNECTION)) {
      assertThat(opened.readyBytes()).isEmpty();
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThat(peer.requests()).hasSize(2);

    try (PeerBlob again = client.openBlob(REPO, digest, 0, OWN_CONNECTION)) {
      assertThat(again.content().readAllBytes()).isEqualTo(blob);
    }
    assertThat(peer.requests()).as("asked once, not twice").hasSize(3);
    assertThat(peer.requests().get(2).userAgent()).isNotEqualTo(Optional.of(HttpPeerClient.USER_AGENT));
  }

  @Test
  void aLargeBlobFromAPeerReachedThroughAProxyIsAskedWithTheJdkClientThroughIt() throws IOException {
    try (PeerBlob opened = viaProxy(CONFIG.readTimeout()).openBlob(REPO, digest, 0, OWN_CONNECTION)) {
      assertThat(opened.readyBytes()).isEmpty();
      assertThat(opened.content().readAllBytes()).isEqualTo(blob);
    }
    assertThat(peer.requests()).singleElement();
  }

  @Test
  void aLargeBlobsBodyIsReadStraightIntoTheCallersBufferWithoutWaitingWhenNothingHasArrived() throws IOException {
    peer.fault(new FaultyPeer.PauseAfter(100_000, 1_000));
    try (PeerBlob opened = client.openBlob(REPO, digest, 0, OWN_CONNECTION)) {
      ReadyBytes body = opened.readyBytes().orElseThrow();
      ByteBuffer into = ByteBuffer.allocateDirect(blob.length + 10);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        body.readReady(into);
        return into.position() == 100_000;
      });
      assertThat(body.readReady(into)).as("the peer pauses: nothing there, and no wait").isZero();
      while (into.position() < blob.length) {
        if (body.readReady(into) == 0) body.awaitBytes();
      }
      assertThat(body.readReady(into)).as("the end").isEqualTo(-1);
      byte[] received = new byte[blob.length];
      into.flip().get(received);
      assertThat(received).isEqualTo(blob);
    }
  }

  @Test
  void abortingReadsFailsALargeBlobsBlockedReadAtOnceNotAfterTheReadTimeout() throws Exception {
    peer.fault(new FaultyPeer.StallAfter(50_000));
    var patient = withReadTimeout(Duration.ofMinutes(5));
    PeerBlob opened = patient.openBlob(REPO, digest, 0, OWN_CONNECTION);
    var reading = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        opened.content().readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> peer.stalledNow() == 1);

    readTimeouts.abortAll();

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(reading::isDone);
    assertThat(reading).isCompletedExceptionally();
    opened.close();
  }

  @Test
  void abortingReadsFailsALargeBlobsWaitForItsAnswerAtOnce() {
    peer.fault(new FaultyPeer.AnswerAfter(60_000));
    var patient = withReadTimeout(Duration.ofMinutes(5));
    var opening = java.util.concurrent.CompletableFuture.supplyAsync(() -> patient.openBlob(REPO, digest, 0, OWN_CONNECTION));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> peer.requests().size() == 1);

    // Aborted repeatedly: the first abort may land before the request reached its wait for the answer.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      readTimeouts.abortAll();
      return opening.isDone();
    });
    assertThatThrownBy(opening::join).hasCauseInstanceOf(PeerUnavailableException.class);
  }

  @Test
  void anInterruptedWaitForALargeBlobsBodyFailsInsteadOfSpinning() throws Exception {
    peer.fault(new FaultyPeer.StallAfter(50_000));
    var patient = withReadTimeout(Duration.ofMinutes(5));
    PeerBlob opened = patient.openBlob(REPO, digest, 0, OWN_CONNECTION);
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread reader = new Thread(() -> {
      try {
        opened.content().readAllBytes();
      } catch (IOException e) {
        failure.set(e);
      }
    });
    reader.start();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> peer.stalledNow() == 1);

    reader.interrupt();

    reader.join(Duration.ofSeconds(10).toMillis());
    assertThat(reader.isAlive()).as("the read ended, not a minutes-long wait").isFalse();
    assertThat(failure.get()).isInstanceOf(java.io.InterruptedIOException.class);
    opened.close();
  }

  @Test
  void aRequestFieldThatWouldBreakTheHeadIsRefusedBeforeAnythingIsSent() {
    URI uri = URI.create("http://127.0.0.1:1/v2/a/blobs/x");
    for (var field : List.of(Map.entry("Authorization", "Bearer a\r\nX-Injected: 1"), Map.entry("Bad Name", "v"),
        Map.entry("X", "nul\u0000"), Map.entry("X", "\u20ac"), Map.entry("", "v"))) {
      assertThatThrownBy(() -> SocketBlobGet.request(uri, Map.of(field.getKey(), field.getValue())))
          .as(field.toString()).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new String(SocketBlobGet.request(uri, Map.of("Range", "bytes=5-")), UTF_8))
        .isEqualTo("GET /v2/a/blobs/x HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\nRange: bytes=5-\r\n\r\n");
  }

  /** One request reached the peer, and it came over a large blob's own connection exactly when it should have. */
  private void assertAskedOnce(long expectedSize) {
    Optional<String> ownConnection = expectedSize >= OWN_CONNECTION ? Optional.of(HttpPeerClient.USER_AGENT) : Optional.empty();
    assertThat(peer.requests()).singleElement().satisfies(r ->
        assertThat(r.userAgent().filter(HttpPeerClient.USER_AGENT::equals)).isEqualTo(ownConnection));
  }

  /** A client of a peer whose URL is unreachable, reached through a proxy that is the test peer itself. */
  private HttpPeerClient viaProxy(Duration readTimeout) {
    var proxied = java.net.http.HttpClient.newBuilder()
        .proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress(peer.url().getHost(), peer.url().getPort())))
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
    return new HttpPeerClient(Region.of("eastus", "http://127.0.0.1:1"), proxied, readTimeout, readTimeouts);
  }

  private HttpPeerClient withReadTimeout(Duration readTimeout) {
    return new HttpPeerClient(Region.of("eastus", peer.url().toString()), HttpPeerClient.newHttpClient(CONFIG), readTimeout, readTimeouts);
  }

  private PeerClient clientOf(String url) {
    return new HttpPeerClient(Region.of("eastus", url), HttpPeerClient.newHttpClient(CONFIG), CONFIG.readTimeout(), readTimeouts);
  }
}
