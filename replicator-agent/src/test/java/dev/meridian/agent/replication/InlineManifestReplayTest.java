package dev.meridian.agent.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.log.LogRecord;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.ManifestVisibility;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay of a {@code manifest.put} over real RocksDB and blob files: with its bytes inline, and without. */
class InlineManifestReplayTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId SELF = new RegionId("westeurope");
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final MediaType CONFIG = new MediaType("application/vnd.oci.image.config.v1+json");
  private static final MediaType LAYER = new MediaType("application/vnd.oci.image.layer.v1.tar");
  private static final byte[] FLEET_KEY = "inline-manifest-replay-test-key!".getBytes(UTF_8);

  @TempDir Path dir;
  private RocksDbRegistryState state;
  private FileSystemBlobStore origin;
  private FileSystemBlobStore blobs;
  private InlineManifests shipping;
  private InlineManifests inline;
  private EventReplayer replayer;
  private final EventSigner signer = new EventSigner(FLEET_KEY);
  private final EventCodec codec = new EventCodec();
  private long offset;

  @BeforeEach
  void open() {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    origin = new FileSystemBlobStore(dir.resolve("origin"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    shipping = new InlineManifests(origin);
    inline = new InlineManifests(blobs);
    Clock clock = Clock.systemUTC();
    Hlc hlc = new Hlc(clock);
    ReplicaAcks acks = new ReplicaAcks(SELF, hlc, () -> UUID.randomUUID().toString(), codec);
    replayer = new EventReplayer(state, view -> new ReplayPlanner(SELF, view, blobs, acks, clock), hlc, signer,
        (record, reason) -> CompletableFuture.failedFuture(new AssertionError("dead letter: " + reason)),
        () -> {}, () -> {}, ReplayListener.NONE, new ContentGuard(), inline::storeAll);
  }

  @AfterEach
  void close() {
    shipping.close();
    inline.close();
    state.close();
  }

  @Test
  void aManifestShippedWithItsBytesOverContentAlreadyHereIsServableInThePollsOwnCommit() {
    ManifestPut put = imageAtOrigin("v1");

    replayer.handle(List.of(record(put, true)));

    assertThat(new ManifestVisibility(state).servedManifest(APP, put.digest())).isPresent();
    assertThat(state.findTransfer(APP, put.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
    assertThat(state.findReplicas(APP, put.digest())).contains(SELF, EAST);
    assertThat(blobs.stat(put.digest())).isPresent();
  }

  @Test
  void withoutItsBytesTheSameManifestWaitsForATransfer() {
    ManifestPut put = imageAtOrigin("v1");

    replayer.handle(List.of(record(put, false)));

    assertThat(new ManifestVisibility(state).servedManifest(APP, put.digest())).isEmpty();
    assertThat(state.findTransfer(APP, put.digest(), TransferJob.Kind.MANIFEST)).isPresent();
  }

  @Test
  void preparingAPollStoresItsManifestsBytesAheadOfTheCommitAndChangesNoState() {
    ManifestPut put = imageAtOrigin("v1");
    LogRecord record = record(put, true);

    List<EventReplayer.Decoded> prepared = replayer.prepare(List.of(record));

    assertThat(blobs.stat(put.digest())).isPresent();
    assertThat(new ManifestVisibility(state).servedManifest(APP, put.digest())).isEmpty();
    assertThat(state.findReplicas(APP, put.digest())).isEmpty();
    replayer.handle(List.of(record), prepared);
    assertThat(new ManifestVisibility(state).servedManifest(APP, put.digest())).isPresent();
    assertThat(state.findTransfer(APP, put.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
  }

  @Test
  void preparingAPollStoresNothingForARecordWithoutAValidSignature() {
    ManifestPut put = imageAtOrigin("v1");
    LogRecord signed = record(put, true);
    Map<String, String> forged = new HashMap<>(signed.headers());
    forged.put(EventSigner.HEADER, new EventSigner("another-fleet-key-of-enough-size".getBytes(UTF_8)).sign(APP.value(), signed.value()));

    replayer.prepare(List.of(new LogRecord(signed.topic(), 0, signed.offset(), signed.key(), signed.value(), forged,
        signed.timestampMillis())));

    assertThat(blobs.stat(put.digest())).isEmpty();
  }

  /** A manifest over a config and layer both regions hold; its own bytes only at the origin. */
  private ManifestPut imageAtOrigin(String marker) {
    Descriptor config = stored(CONFIG, ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"m\":\"" + marker + "\"}").getBytes(UTF_8));
    Descriptor layer = stored(LAYER, ("layer " + marker).getBytes(UTF_8));
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":" + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(UTF_8);
    Digest digest = Digest.sha256Of(manifest);
    origin.put(digest, new ByteArrayInputStream(manifest));
    return new ManifestPut("m-" + marker, EAST, new HlcTimestamp(System.currentTimeMillis(), 0), APP, digest,
        MediaType.OCI_MANIFEST, manifest.length, List.of(config, layer), Optional.empty(), Optional.empty(), Map.of());
  }

  private Descriptor stored(MediaType type, byte[] bytes) {
    Digest digest = Digest.sha256Of(bytes);
    origin.put(digest, new ByteArrayInputStream(bytes));
    blobs.put(digest, new ByteArrayInputStream(bytes));
    return Descriptor.of(type, digest, bytes.length);
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType().value() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  /** The record as the relay ships it: signed, with the manifest's bytes when {@code withBytes}. */
  private LogRecord record(ManifestPut put, boolean withBytes) {
    byte[] value = codec.encode(put);
    Map<String, String> headers = new HashMap<>(withBytes ? shipping.headers(put) : Map.of());
    headers.put(EventSigner.HEADER, signer.sign(APP.value(), value));
    return new LogRecord("meridian.events", 0, offset++, Optional.of(APP.value()), value, headers, System.currentTimeMillis());
  }
}
