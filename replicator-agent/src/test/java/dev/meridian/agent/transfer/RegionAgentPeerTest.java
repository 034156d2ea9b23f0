package dev.meridian.agent.transfer;

import dev.meridian.agent.it.support.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer is a real region agent in this process: its Netty HTTP edge, registry service and stores. Content is
 * pushed to it with plain OCI requests; the worker copies it with the HTTP peer client, observed through a
 * recording decorator.
 */
class RegionAgentPeerTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");
  private static final RegionId ASIA = new RegionId("asia");
  private static final RegionId EAST = new RegionId("eastus");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Hlc hlc = new Hlc(Clock.systemUTC());
  private RegionAgent east;
  private FileSystemBlobStore store;
  private RocksDbRegistryState state;
  private PeerClients httpPeers;
  private PeerClients peers;
  private TransferWorker worker;

  @AfterEach
  void close() {
    if (worker != null) worker.stop();
    if (httpPeers != null) httpPeers.close();
    if (state != null) state.close();
    if (store != null) store.close();
    if (east != null) east.close();
  }

  @Test
  void anIndexPushedToARealAgentIsCopiedCompletelyResumingAPartlyHeldLayerWithRange() throws Exception {
    east = RegionAgent.start(new AgentConfig(EAST, "127.0.0.1", 0, dir.resolve("east")).withSecurity(TestCredentials.settings()));
    TestImages.Image amd64 = TestImages.image(1, 3_000_000);
    TestImages.Image arm64 = TestImages.image(2, 2_000_000);
    TestImages.Image index = TestImages.index(List.of(amd64, arm64));
    for (Map.Entry<Digest, byte[]> blob : index.blobs().entrySet()) pushBlob(blob.getKey(), blob.getValue());
    pushManifest(amd64.digest().toString(), MediaType.OCI_MANIFEST, amd64.manifest());
    pushManifest(arm64.digest().toString(), MediaType.OCI_MANIFEST, arm64.manifest());
    pushManifest("v1", MediaType.OCI_INDEX, index.manifest());

    store = new FileSystemBlobStore(dir.resolve("asia-blobs"));
    state = RocksDbRegistryState.open(dir.resolve("asia-state"));
    // An earlier attempt left the first MiB of amd64's layer here: the copy must go on from there.
    Digest layer = amd64.blobs().keySet().stream().skip(1).findFirst().orElseThrow();
    BlobUpload partial = store.startUpload(BlobFetcher.uploadIdFor(layer));
    partial.append(ByteBuffer.wrap(amd64.blobs().get(layer), 0, 1024 * 1024));
    partial.sync();

    Topology topology = new Topology("127.0.0.1:9092", 1, (short) 1,
        List.of(Region.of("asia", "http://127.0.0.1:1"), Region.of("eastus", east.url())));
    TransferConfig config = TransferConfig.builder().scanInterval(Duration.ofMillis(200)).build();
    // A peer serves internal requests only to the fleet credential.
    httpPeers = PeerClients.http(topology, ASIA, config,
        Optional.of(dev.meridian.agent.security.FleetCredential.authorization(TestCredentials.FLEET_KEY)));
    PeerClient agent = httpPeers.forRegion(EAST).orElseThrow();
    List<String> blobOpens = new CopyOnWriteArrayList<>();
    PeerClient recording = new PeerClient() {
      @Override
      public RegionId region() {
        return EAST;
      }

      @Override
      public byte[] fetchManifest(RepositoryName repository, Digest digest) {
        return agent.fetchManifest(repository, digest);
      }

      @Override
      public PeerBlob openBlob(RepositoryName repository, Digest digest, long fromByte) {
        PeerBlob blob = agent.openBlob(repository, digest, fromByte);
        blobOpens.add(digest + " from=" + fromByte + " honoured=" + blob.rangeHonoured() + " total=" + blob.totalSize().orElse(-1));
        return blob;
      }
    };
    peers = PeerClients.of(List.of(recording));
    worker = new TransferWorker(ASIA, topology, peers, state, store, hlc, config, Clock.systemUTC());
    worker.start();
    ManifestRecord record = new ManifestRecord(REPO, index.digest(), MediaType.OCI_INDEX, index.size(), List.of(),
        Optional.empty(), Optional.empty(), Map.of(), true, new Stamp(hlc.tick(), EAST));
    state.apply(StateBatch.of(new StateWrite.PutManifest(record), new StateWrite.PutTransfer(
        new TransferJob(REPO, index.digest(), TransferJob.Kind.MANIFEST, EAST, index.size(), Instant.now()))));
    worker.wake();

    await().atMost(Duration.ofSeconds(30)).until(() -> state.transferCount() == 0);
    Map<Digest, byte[]> expected = new HashMap<>(index.blobs());
    expected.putAll(index.manifests());
    for (Map.Entry<Digest, byte[]> content : expected.entrySet()) {
      try (BlobContent stored = store.open(content.getKey())) {
        assertThat(BlobFixtures.readAll(stored)).as("content %s", content.getKey()).isEqualTo(content.getValue());
      }
    }
    assertThat(blobOpens).contains(layer + " from=1048576 honoured=true total=3000000");
    assertThat(blobOpens).hasSize(index.blobs().size());
    ReplicaAck ack = (ReplicaAck) new EventCodec().decode(state.readOutbox(10).get(0).payload());
    assertThat(ack.digest()).isEqualTo(index.digest());
    assertThat(ack.region()).isEqualTo(ASIA);
  }

  private void pushBlob(Digest digest, byte[] bytes) throws IOException, InterruptedException {
    HttpResponse<Void> started = http.send(HttpRequest.newBuilder(uri("/v2/" + REPO + "/blobs/uploads/")).header("Authorization", TestCredentials.authorization())
        .POST(BodyPublishers.noBody()).build(), BodyHandlers.discarding());
    assertThat(started.statusCode()).isEqualTo(202);
    URI location = uri("").resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    HttpResponse<Void> put = http.send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest)).header("Authorization", TestCredentials.authorization())
        .header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(bytes)).build(), BodyHandlers.discarding());
    assertThat(put.statusCode()).isEqualTo(201);
  }

  private void pushManifest(String reference, MediaType mediaType, byte[] bytes) throws IOException, InterruptedException {
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/v2/" + REPO + "/manifests/" + reference)).header("Authorization", TestCredentials.authorization())
        .header("Content-Type", mediaType.value())
        .PUT(BodyPublishers.ofByteArray(bytes)).build(), BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
  }

  private URI uri(String path) {
    return URI.create(east.url() + path);
  }
}
