package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.batch;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.link;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateStoreException;
import dev.meridian.core.state.TagRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written before registers were stored in {@link BinaryValue} form keeps working: read, merged, rewritten. */
class StoredValueFormatsTest {
  @TempDir Path dir;

  /** Writes raw values as an earlier version of the store did, then closes the database. */
  private void writeRaw(Family family, byte[] key, String json) {
    try (RocksDbHandle handle = RocksDbHandle.open(dir.resolve("state"))) {
      handle.run(() -> {
        handle.db().put(handle.handle(family), key, json.getBytes(UTF_8));
        return null;
      });
    }
  }

  private static String layerJson(Digest layer) {
    return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":7,"
        + "\"annotations\":{\"org.example\":\"x\"},\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}";
  }

  @Test
  void registersWrittenAsJsonByAnEarlierVersionStillReadAndMerge() {
    Digest manifest = digest(1);
    Digest layer = digest(2);
    writeRaw(Family.TAGS, StateKeys.inRepository(repo("app"), "v1"),
        "{\"digest\":\"" + manifest + "\",\"hlc\":\"1000.2\",\"origin\":\"eastus\"}");
    writeRaw(Family.TAGS, StateKeys.inRepository(repo("app"), "gone"), "{\"digest\":null,\"hlc\":\"1000.0\",\"origin\":\"eastus\"}");
    writeRaw(Family.BLOB_LINKS, StateKeys.inRepository(repo("app"), layer.toString()),
        "{\"linked\":true,\"hlc\":\"1001.0\",\"origin\":\"westeu\"}");
    writeRaw(Family.MANIFESTS, StateKeys.inRepository(repo("app"), manifest.toString()),
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":321,\"references\":[" + layerJson(layer)
            + "],\"artifactType\":\"application/example\",\"annotations\":{\"a\":\"b\"},\"present\":true,"
            + "\"hlc\":\"1002.0\",\"origin\":\"eastus\"}");
    writeRaw(Family.REPOSITORIES, StateKeys.utf8("app"), "");

    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir.resolve("state"))) {
      assertThat(state.findTag(repo("app"), new Tag("v1")))
          .contains(new TagRecord(repo("app"), new Tag("v1"), Optional.of(manifest), stamp(1000, 2, EAST)));
      assertThat(state.findTag(repo("app"), new Tag("gone"))).hasValueSatisfying(t -> assertThat(t.isDeleted()).isTrue());
      assertThat(state.findBlobLink(repo("app"), layer)).contains(new BlobLinkRecord(repo("app"), layer, true, stamp(1001, WEST)));
      ManifestRecord read = state.findManifest(repo("app"), manifest).orElseThrow();
      assertThat(read.references()).singleElement().satisfies(d -> {
        assertThat(d.digest()).isEqualTo(layer);
        assertThat(d.annotations()).containsEntry("org.example", "x");
        assertThat(d.platform()).contains(Map.of("os", "linux", "architecture", "amd64"));
      });
      assertThat(read.artifactType()).contains("application/example");
      assertThat(read.annotations()).containsEntry("a", "b");
      assertThat(read.present()).isTrue();
      assertThat(read.stamp()).isEqualTo(stamp(1002, EAST));
      assertThat(state.listTags(repo("app"), Optional.empty(), 10)).containsExactly(new Tag("v1"));

      // A write merges against the stored JSON register: an older one loses, a newer one wins and is stored anew.
      state.apply(batch(tag("app", "v1", digest(9), stamp(999, WEST)), link("app", layer, false, stamp(1000, EAST))));
      assertThat(state.findTag(repo("app"), new Tag("v1")).orElseThrow().digest()).contains(manifest);
      assertThat(state.findBlobLink(repo("app"), layer).orElseThrow().linked()).isTrue();
      state.apply(batch(tag("app", "v1", digest(9), stamp(1003, WEST))));
      assertThat(state.findTag(repo("app"), new Tag("v1")).orElseThrow().digest()).contains(digest(9));
    }
  }

  @Test
  void everyManifestFieldSurvivesTheBinaryForm() {
    Map<String, Object> platform = new LinkedHashMap<>();
    platform.put("os", "linux");
    platform.put("os.features", List.of("a", "b"));
    Descriptor child = new Descriptor(new MediaType("application/vnd.oci.image.manifest.v1+json"), digest(3), 1L << 40,
        Optional.of("application/x"), Map.of("ü", "ünïcode"), Optional.of(platform));
    Descriptor subject = Descriptor.of(MediaType.OCI_MANIFEST, digest(4), 0);
    ManifestRecord manifest = new ManifestRecord(repo("a/b"), digest(5), MediaType.OCI_INDEX, 12345, List.of(child, subject),
        Optional.of(subject), Optional.empty(), Map.of("k", ""), false, stamp(Long.MAX_VALUE / 2, Integer.MAX_VALUE, EAST));

    byte[] value = StateCodec.encodeManifest(manifest);

    assertThat(value[0]).isEqualTo(BinaryValue.FORMAT);
    assertThat(StateCodec.decodeManifest(repo("a/b"), digest(5), value)).isEqualTo(manifest);
  }

  @Test
  void aTransferJobSurvivesTheBinaryFormToTheNanosecond() {
    for (dev.meridian.core.state.TransferJob.Kind kind : dev.meridian.core.state.TransferJob.Kind.values()) {
      dev.meridian.core.state.TransferJob job = new dev.meridian.core.state.TransferJob(repo("a/b"), digest(3), kind,
          WEST, Long.MAX_VALUE, java.time.Instant.parse("2026-11-28T11:29:30.123456789Z"));

      byte[] value = StateCodec.encodeTransfer(job);

      assertThat(value[0]).isEqualTo(BinaryValue.FORMAT);
      assertThat(StateCodec.decodeTransfer(repo("a/b"), digest(3), value)).isEqualTo(job);
    }
  }

  @Test
  void aTransferJobWrittenAsJsonByAnEarlierVersionStillReads() {
    byte[] json = "{\"kind\":\"blob\",\"origin\":\"eastus\",\"size\":42,\"createdAt\":\"2026-01-01T00:00:00.5Z\"}"
        .getBytes(UTF_8);

    assertThat(StateCodec.decodeTransfer(repo("app"), digest(1), json)).isEqualTo(new dev.meridian.core.state.TransferJob(
        repo("app"), digest(1), dev.meridian.core.state.TransferJob.Kind.BLOB, EAST, 42,
        java.time.Instant.parse("2026-01-01T00:00:00.5Z")));
  }

  @Test
  void aTransferJobCreatedBefore1970KeepsTheJsonForm() {
    dev.meridian.core.state.TransferJob job = new dev.meridian.core.state.TransferJob(repo("app"), digest(1),
        dev.meridian.core.state.TransferJob.Kind.MANIFEST, EAST, 0, java.time.Instant.parse("1969-12-31T23:59:59.9Z"));

    byte[] value = StateCodec.encodeTransfer(job);

    assertThat(value[0]).isEqualTo((byte) '{');
    assertThat(StateCodec.decodeTransfer(repo("app"), digest(1), value)).isEqualTo(job);
  }

  @Test
  void aTransferJobOfAnUnknownKindIsCorruptNotMisread() {
    byte[] value = StateCodec.encodeTransfer(new dev.meridian.core.state.TransferJob(repo("app"), digest(1),
        dev.meridian.core.state.TransferJob.Kind.BLOB, EAST, 1, java.time.Instant.EPOCH));
    value[1] = 7;

    assertThatThrownBy(() -> StateCodec.decodeTransfer(repo("app"), digest(1), value)).isInstanceOf(StateStoreException.class);
  }

  @Test
  void aTruncatedOrLongerBinaryValueIsCorruptNotMisread() {
    byte[] value = StateCodec.encodeTag(tag("app", "v1", digest(1), stamp(1000, EAST)));
    List<byte[]> damaged = new ArrayList<>();
    damaged.add(java.util.Arrays.copyOf(value, value.length - 1));
    damaged.add(java.util.Arrays.copyOf(value, value.length + 1));
    for (byte[] bad : damaged) {
      assertThatThrownBy(() -> StateCodec.decodeTag(repo("app"), new Tag("v1"), bad)).isInstanceOf(StateStoreException.class);
    }
  }

  @Test
  void textThatIsNotUtf8AMapKeyTwiceAndANumberPast64BitsAreCorruptNotMisread() {
    byte[] notUtf8 = {BinaryValue.FORMAT, 2, (byte) 0xC3, 0x28};
    assertThatThrownBy(() -> new BinaryValue.Reader(notUtf8).text()).isInstanceOf(IllegalArgumentException.class);

    byte[] keyTwice = new BinaryValue.Writer().varLong(2).text("k").text("1").text("k").text("2").toBytes();
    assertThatThrownBy(() -> new BinaryValue.Reader(keyTwice).map()).isInstanceOf(IllegalArgumentException.class);

    byte[] past64Bits = {BinaryValue.FORMAT, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x02};
    assertThatThrownBy(() -> new BinaryValue.Reader(past64Bits).varLong()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void textBeyondAsciiAndTheLargestNumberReadBackAsWritten() {
    byte[] value = new BinaryValue.Writer().text("r\u00e9gion-\u6771").varLong(Long.MAX_VALUE).toBytes();
    var reader = new BinaryValue.Reader(value);

    assertThat(reader.text()).isEqualTo("r\u00e9gion-\u6771");
    assertThat(reader.varLong()).isEqualTo(Long.MAX_VALUE);
    reader.end();
  }
}
