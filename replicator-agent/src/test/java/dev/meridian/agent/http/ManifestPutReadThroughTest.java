package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.OCI_INDEX;
import static dev.meridian.agent.registry.TestImages.OCI_MANIFEST;
import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryFixture;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest PUT whose blobs reached another region (a front door that moved the client between its blob uploads and
 * its manifest) fetches them from that region first instead of refusing the push. The read-through here is a fake that
 * does what {@code PeerReadThrough.blob} does (store the bytes, link them); the real one is exercised by the fleet
 * tests.
 */
class ManifestPutReadThroughTest {
  @TempDir Path dir;
  private RegistryFixture fixture;
  private HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** What the other region holds: blobs, and manifests whose content is here already. */
  private final Map<Digest, byte[]> peer = new ConcurrentHashMap<>();
  private final Map<Digest, byte[]> peerManifests = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  /** A read-through that says it fetched what it did not (the loop must still end). */
  private volatile boolean claimsWithoutFetching;

  private final ReadThrough fromPeer = new ReadThrough() {
    @Override
    public boolean manifest(RepositoryName repository, Reference reference) {
      asked.add("manifest " + repository + " " + reference);
      if (!(reference instanceof Reference.DigestReference byDigest)) return false;
      byte[] bytes = peerManifests.get(byDigest.digest());
      if (bytes == null) return false;
      fixture.service().putManifest(repository, reference, dev.meridian.core.oci.MediaType.parse(OCI_MANIFEST), bytes);
      return true;
    }

    @Override
    public boolean blob(RepositoryName repository, Digest digest) {
      asked.add("blob " + repository + " " + digest);
      if (claimsWithoutFetching) return true;
      byte[] bytes = peer.get(digest);
      if (bytes == null) return false;
      fixture.blobs().put(digest, new ByteArrayInputStream(bytes));
      fixture.state().apply(StateBatch.of(new StateWrite.PutBlobLink(
          new BlobLinkRecord(repository, digest, true, new Stamp(HlcTimestamp.ZERO, new RegionId("westeurope"))))));
      return true;
    }

    @Override
    public boolean references(RepositoryName repository, List<Descriptor> references) {
      referenceCalls.add(references.stream().map(Descriptor::digest).toList());
      boolean all = true;
      for (Descriptor d : references) {
        all &= d.mediaType().isManifest() ? manifest(repository, new Reference.DigestReference(d.digest())) : blob(repository, d.digest());
      }
      return all;
    }
  };
  /** The references each read-through call was asked for, in order. */
  private final List<List<Digest>> referenceCalls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    fixture = new RegistryFixture(dir);
    server = HttpServer.start(fixture.service(), new InetSocketAddress("127.0.0.1", 0), HttpExtensions.none(), fromPeer);
  }

  @AfterEach
  void stop() {
    server.close();
    fixture.close();
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
  }

  private HttpResponse<byte[]> putManifest(String path, byte[] manifest, boolean fromAPeer) {
    HttpRequest.Builder put = request(path).header("Content-Type", OCI_MANIFEST).PUT(BodyPublishers.ofByteArray(manifest));
    if (fromAPeer) put.header(Handlers.INTERNAL_HEADER, Handlers.NO_READ_THROUGH);
    return send(put);
  }

  private void pushBlobHere(String repository, byte[] content) {
    HttpResponse<byte[]> started = send(request("/v2/" + repository + "/blobs/uploads/").POST(BodyPublishers.noBody()));
    String location = started.headers().firstValue("Location").orElseThrow();
    HttpResponse<byte[]> done = send(request(location + (location.contains("?") ? "&" : "?") + "digest=" + digest(content))
        .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(content)));
    assertThat(done.statusCode()).isEqualTo(201);
  }

  @Test
  void aManifestWhoseLayersAnotherRegionHoldsIsAcceptedOnceTheyAreFetched() {
    byte[] config = randomBytes(1, 60);
    byte[] layer = randomBytes(2, 3000);
    byte[] otherLayer = randomBytes(3, 2000);
    pushBlobHere("team/app", config);
    peer.put(digest(layer), layer);
    peer.put(digest(otherLayer), otherLayer);
    byte[] manifest = TestImages.manifest(config, List.of(layer, otherLayer));

    HttpResponse<byte[]> put = putManifest("/v2/team/app/manifests/v1", manifest, false);

    assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
    assertThat(asked).containsExactly("blob team/app " + digest(layer), "blob team/app " + digest(otherLayer));
    assertThat(referenceCalls).as("both missing layers asked for at once, the config held here not asked for")
        .containsExactly(List.of(digest(layer), digest(otherLayer)));
    HttpResponse<byte[]> pulled = send(request("/v2/team/app/manifests/v1").header("Accept", OCI_MANIFEST + ", " + OCI_INDEX));
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);
    assertThat(send(request("/v2/team/app/blobs/" + digest(layer))).body()).isEqualTo(layer);
  }

  @Test
  void aManifestWhoseBlobNoRegionHoldsIsStillRefusedAfterAskingOnce() {
    byte[] config = randomBytes(4, 60);
    byte[] layer = randomBytes(5, 100);
    pushBlobHere("app", config);
    byte[] manifest = TestImages.manifest(config, List.of(layer));

    HttpResponse<byte[]> put = putManifest("/v2/app/manifests/v1", manifest, false);

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(new String(put.body())).contains("MANIFEST_BLOB_UNKNOWN").contains(digest(layer).toString());
    assertThat(asked).containsExactly("blob app " + digest(layer));
    assertThat(send(request("/v2/app/manifests/v1").method("HEAD", BodyPublishers.noBody())).statusCode()).isEqualTo(404);
  }

  @Test
  void anIndexWhoseChildIsInAnotherRegionFetchesItAsAWholeImageNotAsABlob() {
    byte[] config = randomBytes(8, 60);
    byte[] layer = randomBytes(9, 500);
    pushBlobHere("team/multi", config);
    pushBlobHere("team/multi", layer);
    byte[] child = TestImages.manifest(config, List.of(layer));
    peer.put(digest(child), child); // a peer would also serve the child's bytes as a blob: not enough for an index
    peerManifests.put(digest(child), child);
    byte[] index = TestImages.index(List.of(child));

    HttpResponse<byte[]> put = send(request("/v2/team/multi/manifests/v1").header("Content-Type", OCI_INDEX)
        .PUT(BodyPublishers.ofByteArray(index)));

    assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
    assertThat(asked).containsExactly("manifest team/multi " + digest(child));
    HttpResponse<byte[]> pulledChild = send(request("/v2/team/multi/manifests/" + digest(child)).header("Accept", OCI_MANIFEST));
    assertThat(pulledChild.statusCode()).isEqualTo(200);
  }

  @Test
  void aReadThroughThatClaimsContentItDidNotBringIsAskedOnceAndThePutRefused() {
    byte[] config = randomBytes(10, 60);
    byte[] layer = randomBytes(11, 100);
    pushBlobHere("app", config);
    claimsWithoutFetching = true;

    HttpResponse<byte[]> put = putManifest("/v2/app/manifests/v1", TestImages.manifest(config, List.of(layer)), false);

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(new String(put.body())).contains("MANIFEST_BLOB_UNKNOWN");
    assertThat(asked).containsExactly("blob app " + digest(layer));
  }

  @Test
  void aPeersOwnManifestPutNeverReadsThrough() {
    byte[] config = randomBytes(6, 60);
    byte[] layer = randomBytes(7, 100);
    pushBlobHere("app", config);
    peer.put(digest(layer), layer);

    HttpResponse<byte[]> put = putManifest("/v2/app/manifests/v1", TestImages.manifest(config, List.of(layer)), true);

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(asked).isEmpty();
  }
}
