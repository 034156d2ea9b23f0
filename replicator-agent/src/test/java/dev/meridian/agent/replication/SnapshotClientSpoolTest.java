package dev.meridian.agent.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A joining region spools a peer's snapshot on its own data disk, where a start clears what a kill left. */
class SnapshotClientSpoolTest {
  private static final byte[] SNAPSHOT = "{\"line\":1}\n{\"line\":2}\n".getBytes(UTF_8);

  @TempDir Path dir;
  private HttpServer peer;
  private Region region;
  private final java.util.concurrent.CountDownLatch restOfBody = new java.util.concurrent.CountDownLatch(1);

  @BeforeEach
  void serveASnapshot() throws Exception {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext(SnapshotClient.PATH, exchange -> {
      exchange.sendResponseHeaders(200, SNAPSHOT.length);
      try (var body = exchange.getResponseBody()) {
        body.write(SNAPSHOT, 0, 5);
        body.flush();
        restOfBody.await(30, java.util.concurrent.TimeUnit.SECONDS); // the download is under way until released
        body.write(SNAPSHOT, 5, SNAPSHOT.length - 5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    peer.start();
    region = new Region(new RegionId("westeurope"), URI.create("http://127.0.0.1:" + peer.getAddress().getPort()), true,
        RegionMode.READ_WRITE);
  }

  @AfterEach
  void stop() {
    restOfBody.countDown();
    peer.stop(0);
  }

  @Test
  void theSnapshotIsSpooledInTheBlobStoresScratchDirectoryAndGoneOnceRead() throws Exception {
    var blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    Path scratch = blobs.scratchDirectory().orElseThrow();
    var client = new SnapshotClient(Duration.ofSeconds(5), Duration.ofSeconds(5), javax.net.ssl.SSLContext.getDefault(),
        Optional.empty());

    var download = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.open(region, scratch));
    // While the body downloads, it is spooled on the data disk (where a kill now would leave it until the next start).
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(files(scratch)).singleElement()
            .satisfies(file -> assertThat(file.getFileName().toString()).startsWith("meridian-snapshot-")));
    restOfBody.countDown();
    try (InputStream in = download.get(20, java.util.concurrent.TimeUnit.SECONDS)) {
      assertThat(in.readAllBytes()).isEqualTo(SNAPSHOT);
    }
    assertThat(files(scratch)).isEmpty();
  }

  @Test
  void aSpoolLeftByAKilledDownloadIsRemovedWhenTheStoreOpensAgain() throws Exception {
    Path scratch = new FileSystemBlobStore(dir.resolve("blobs")).scratchDirectory().orElseThrow();
    Files.write(scratch.resolve("meridian-snapshot-1.jsonl"), SNAPSHOT);

    new FileSystemBlobStore(dir.resolve("blobs"));

    assertThat(files(scratch)).isEmpty();
  }

  private static List<Path> files(Path directory) throws Exception {
    try (Stream<Path> listing = Files.list(directory)) {
      return listing.toList();
    }
  }
}
