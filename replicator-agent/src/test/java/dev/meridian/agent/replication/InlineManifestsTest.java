package dev.meridian.agent.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.meridian.agent.log.LogRecord;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InlineManifestsTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RepositoryName APP = new RepositoryName("team/app");

  @TempDir Path dir;
  private FileSystemBlobStore origin;
  private FileSystemBlobStore replica;
  private InlineManifests shipping;
  private InlineManifests replaying;
  private long offset;

  @BeforeEach
  void open() {
    origin = new FileSystemBlobStore(dir.resolve("origin"));
    replica = new FileSystemBlobStore(dir.resolve("replica"));
    shipping = new InlineManifests(origin);
    replaying = new InlineManifests(replica);
  }

  @AfterEach
  void close() {
    shipping.close();
    replaying.close();
  }

  @Test
  void aSmallManifestShippedWithItsEventIsStoredByReplayWithoutAFetch() {
    byte[] manifest = manifest("v1");
    ManifestPut put = stored(manifest);
    Map<String, String> headers = shipping.headers(put);
    assertThat(headers).containsOnlyKeys(InlineManifests.HEADER);

    replaying.storeAll(List.of(record(headers)), List.of(put));

    assertThat(replica.stat(put.digest())).hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(manifest.length));
  }

  @Test
  void bytesThatAreNotTheSignedDigestAreNotStored() {
    ManifestPut put = stored(manifest("v1"));
    byte[] other = manifest("v2");
    Map<String, String> forged = Map.of(InlineManifests.HEADER, Base64.getEncoder().encodeToString(other));
    Map<String, String> truncated = Map.of(InlineManifests.HEADER,
        Base64.getEncoder().encodeToString(Arrays.copyOf(manifest("v1"), 10)));
    Map<String, String> garbled = Map.of(InlineManifests.HEADER, "not base64 %%%");

    replaying.storeAll(List.of(record(forged), record(truncated), record(garbled)), List.of(put, put, put));

    assertThat(replica.stat(put.digest())).isEmpty();
    assertThat(replica.stat(Digest.sha256Of(other))).isEmpty();
  }

  @Test
  void onlyManifestPutsWhoseBytesAreHereAndSmallTravelInline() {
    byte[] large = new byte[(int) InlineManifests.MAX_INLINE_BYTES + 1];
    Arrays.fill(large, (byte) ' ');
    ManifestPut big = stored(large);
    ManifestPut gone = put(manifest("deleted"));
    TagPut tag = new TagPut("t", EAST, new HlcTimestamp(1, 0), APP, new Tag("v1"), big.digest());

    assertThat(shipping.headers(big)).isEmpty();
    assertThat(shipping.headers(gone)).isEmpty();
    assertThat(shipping.headers(tag)).isEmpty();
  }

  @Test
  void recordsWithoutBytesOrEventsAreLeftAlone() {
    ManifestPut put = stored(manifest("v1"));
    var events = new ArrayList<ReplicationEvent>();
    events.add(put);
    events.add(null); // a dead letter
    replaying.storeAll(List.of(record(Map.of()), record(shipping.headers(put))), events);

    assertThat(replica.stat(put.digest())).isEmpty();
  }

  @Test
  void aRegionWhoseFilterExcludesTheRepositoryNeverWritesItsManifest() {
    ManifestPut put = stored(manifest("v1"));
    try (var excluding = new InlineManifests(replica, repository -> !repository.equals(APP))) {
      excluding.storeAll(List.of(record(shipping.headers(put))), List.of(put));
    }

    assertThat(replica.stat(put.digest())).isEmpty();
  }

  @Test
  void aBlobStoreThatFailsUnexpectedlyDoesNotFailTheReplayedPoll() {
    ManifestPut put = stored(manifest("v1"));
    var failing = (dev.meridian.core.blob.BlobStore) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {dev.meridian.core.blob.BlobStore.class}, (proxy, method, args) -> {
          throw new IllegalStateException("disk gone");
        });
    try (var broken = new InlineManifests(failing)) {
      assertThatCode(() -> broken.storeAll(List.of(record(shipping.headers(put))), List.of(put)))
          .doesNotThrowAnyException();
    }
  }

  private ManifestPut stored(byte[] manifest) {
    origin.put(Digest.sha256Of(manifest), new ByteArrayInputStream(manifest));
    return put(manifest);
  }

  private static ManifestPut put(byte[] manifest) {
    return new ManifestPut("m", EAST, new HlcTimestamp(1, 0), APP, Digest.sha256Of(manifest), MediaType.OCI_MANIFEST,
        manifest.length, List.of(), Optional.empty(), Optional.empty(), Map.of());
  }

  private LogRecord record(Map<String, String> headers) {
    return new LogRecord("meridian.events", 0, offset++, Optional.of(APP.value()), new byte[0], headers, 0);
  }

  private static byte[] manifest(String marker) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"annotations\":{\"m\":\""
        + marker + "\"}}").getBytes(UTF_8);
  }
}
