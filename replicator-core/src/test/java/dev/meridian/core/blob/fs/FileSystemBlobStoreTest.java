package dev.meridian.core.blob.fs;

import static dev.meridian.core.blob.BlobFixtures.randomBytes;
import static dev.meridian.core.blob.BlobFixtures.sha256;
import static dev.meridian.core.blob.BlobFixtures.sha512;
import static dev.meridian.core.blob.BlobFixtures.streamFailingAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.BlobStoreContract;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {
  @TempDir Path root;
  private final List<FileSystemBlobStore> opened = new ArrayList<>();

  @Override
  protected BlobStore createStore() {
    return openStore();
  }

  private FileSystemBlobStore openStore() {
    FileSystemBlobStore fs = new FileSystemBlobStore(root);
    opened.add(fs);
    return fs;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(FileSystemBlobStore::close);
  }

  private BlobPaths paths() {
    return new BlobPaths(root);
  }

  private List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).toList();
    }
  }

  @Test
  void blobIsPublishedAtTheDocumentedPath() throws IOException {
    byte[] bytes = randomBytes(100, 30);
    put(bytes);
    Digest digest = sha256(bytes);
    Path expected = root.resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    assertThat(Files.readAllBytes(expected)).isEqualTo(bytes);
    assertThat(filesUnder(paths().tmpDir())).isEmpty();
  }

  @Test
  void streamFailingHalfwayLeavesNoFileUnderTheDigestAndNoTempFile() throws IOException {
    byte[] bytes = randomBytes(500_000, 31);
    assertThatThrownBy(() -> store.put(sha256(bytes), streamFailingAt(bytes, 250_000)))
        .hasRootCauseInstanceOf(IOException.class)
        .rootCause().hasMessageContaining("connection reset");
    assertThat(paths().blob(sha256(bytes))).doesNotExist();
    assertThat(filesUnder(paths().tmpDir())).isEmpty();
  }

  @Test
  void digestMismatchLeavesNoTempFile() throws IOException {
    byte[] bytes = randomBytes(100_000, 32);
    assertThatThrownBy(() -> store.put(sha256(randomBytes(10, 33)), new ByteArrayInputStream(bytes)));
    assertThat(filesUnder(paths().tmpDir())).isEmpty();
    assertThat(filesUnder(paths().blobsDir())).allMatch(Files::isDirectory);
  }

  @Test
  void uploadSurvivesClosingAndReopeningTheStore() throws IOException {
    byte[] bytes = randomBytes(300_000, 34);
    UploadId id = UploadId.random();
    FileSystemBlobStore before = (FileSystemBlobStore) store;
    BlobUpload upload = before.startUpload(id);
    append(upload, bytes, 0, 120_000);
    upload.sync();
    before.close();

    FileSystemBlobStore after = openStore();
    BlobUpload resumed = after.findUpload(id).orElseThrow();
    assertThat(resumed.size()).isEqualTo(120_000);
    append(resumed, bytes, 120_000, bytes.length);
    assertThat(resumed.commit(sha256(bytes))).isEqualTo(new BlobInfo(sha256(bytes), bytes.length));
    try (BlobContent content = after.open(sha256(bytes))) {
      assertThat(content.openStream(0, bytes.length).readAllBytes()).isEqualTo(bytes);
    }
    assertThat(filesUnder(paths().uploadsDir())).isEmpty();
  }

  @Test
  void uploadReopenedAfterARestartCommitsWithoutFurtherAppendsToEitherAlgorithm() {
    byte[] bytes = randomBytes(150_000, 35);
    UploadId forSha256 = UploadId.random();
    UploadId forSha512 = UploadId.random();
    for (UploadId id : List.of(forSha256, forSha512)) {
      BlobUpload upload = store.startUpload(id);
      append(upload, bytes, 0, bytes.length);
      upload.sync();
    }
    ((FileSystemBlobStore) store).close();

    FileSystemBlobStore after = openStore();
    assertThat(after.findUpload(forSha256).orElseThrow().commit(sha256(bytes)).size()).isEqualTo(bytes.length);
    assertThat(after.findUpload(forSha512).orElseThrow().commit(sha512(bytes)).size()).isEqualTo(bytes.length);
    assertThat(after.stat(sha256(bytes))).isPresent();
    assertThat(after.stat(sha512(bytes))).isPresent();
  }

  @Test
  void uploadReopenedAfterARestartStillRefusesAWrongDigest() {
    byte[] bytes = randomBytes(50_000, 36);
    UploadId id = UploadId.random();
    append(store.startUpload(id), bytes, 0, bytes.length);
    ((FileSystemBlobStore) store).close();

    FileSystemBlobStore after = openStore();
    BlobUpload resumed = after.findUpload(id).orElseThrow();
    append(resumed, bytes, 0, 10); // the re-hash must cover the old bytes, not just this append
    assertRegistryError(OciErrorCode.DIGEST_INVALID, () -> resumed.commit(sha256(bytes)));
    assertThat(after.findUpload(id)).isEmpty();
  }

  @Test
  void staleTempFilesAndEmptySessionsAreRemovedAtStartAndLiveSessionsKept() throws IOException {
    UploadId live = UploadId.random();
    append(store.startUpload(live), randomBytes(10, 37), 0, 10);
    ((FileSystemBlobStore) store).close();
    Files.write(paths().newTempFile(), randomBytes(1000, 38));
    Files.createDirectories(paths().uploadDir(UploadId.random()));

    FileSystemBlobStore after = openStore();
    assertThat(filesUnder(paths().tmpDir())).isEmpty();
    assertThat(filesUnder(paths().uploadsDir()))
        .containsExactlyInAnyOrder(paths().uploadDir(live), paths().uploadData(live));
    assertThat(after.findUpload(live).orElseThrow().size()).isEqualTo(10);
  }

  @Test
  void multiMiBBlobRoundTripsByteExactByPutAndByUpload() throws IOException {
    byte[] bytes = randomBytes(12 << 20, 39);
    BlobInfo put = store.put(sha512(bytes), new ByteArrayInputStream(bytes));
    BlobUpload upload = store.startUpload(UploadId.random());
    for (int from = 0; from < bytes.length; from += 1 << 20) {
      append(upload, bytes, from, Math.min(bytes.length, from + (1 << 20)));
    }
    BlobInfo committed = upload.commit(sha256(bytes));
    assertThat(put.size()).isEqualTo(bytes.length);
    assertThat(committed.size()).isEqualTo(bytes.length);
    assertThat(Files.readAllBytes(paths().blob(sha512(bytes)))).isEqualTo(bytes);
    assertThat(contentOf(sha256(bytes))).isEqualTo(bytes);
  }

  @Test
  void strayFilesUnderBlobsAreNeitherVisitedNorServed() throws IOException {
    byte[] bytes = randomBytes(100, 40);
    Digest digest = sha256(bytes);
    String wrongShard = digest.hex().startsWith("00") ? "11" : "00";
    Path misplaced = paths().algorithmDir(digest.algorithm()).resolve(wrongShard).resolve(digest.hex());
    Files.createDirectories(misplaced.getParent());
    Files.write(misplaced, bytes);
    Files.write(misplaced.resolveSibling("not-a-digest"), bytes);
    assertThat(allBlobs()).isEmpty();
    assertThat(store.stat(digest)).isEmpty();
  }

  @Test
  void endedUploadObjectRefusesFurtherUse() {
    byte[] bytes = randomBytes(100, 41);
    BlobUpload upload = store.startUpload(UploadId.random());
    append(upload, bytes, 0, bytes.length);
    upload.commit(sha256(bytes));
    assertRegistryError(OciErrorCode.BLOB_UPLOAD_UNKNOWN, () -> append(upload, bytes, 0, 1));
    assertRegistryError(OciErrorCode.BLOB_UPLOAD_UNKNOWN, () -> upload.commit(sha256(bytes)));
    upload.cancel(); // a no-op: the blob it published stays
    assertThat(store.stat(sha256(bytes))).isPresent();
  }

  @Test
  void findingAnOpenSessionReturnsTheSameObjectWithItsHashState() {
    UploadId id = UploadId.random();
    BlobUpload started = store.startUpload(id);
    assertThat(store.findUpload(id)).containsSame(started);
  }

  @Test
  void aQuarantinedBlobIsNeverOpenedStatedOrVisitedAgainButItsBytesAreKept() throws IOException {
    byte[] bytes = randomBytes(300, 42);
    Digest digest = sha256(bytes);
    store.put(digest, new ByteArrayInputStream(bytes));
    byte[] corrupt = bytes.clone();
    corrupt[7] ^= 0x5a;
    Files.write(paths().blob(digest), corrupt);

    assertThat(store.quarantine(digest)).isTrue();

    assertThat(store.stat(digest)).isEmpty();
    assertRegistryError(OciErrorCode.BLOB_UNKNOWN, () -> store.open(digest).close());
    assertThat(allBlobs()).isEmpty();
    assertThat(Files.exists(paths().blob(digest))).isFalse();
    List<Path> quarantined = filesUnder(paths().quarantineDir());
    assertThat(quarantined).hasSize(1);
    assertThat(quarantined.get(0).getFileName().toString()).startsWith("sha256-" + digest.hex() + "-");
    assertThat(Files.readAllBytes(quarantined.get(0))).isEqualTo(corrupt);
    assertThat(store.quarantine(digest)).as("nothing left to quarantine").isFalse();
  }

  @Test
  void aBlobPutAgainAfterItsQuarantineIsServedWithItsTrueBytes() throws IOException {
    byte[] bytes = randomBytes(300, 43);
    Digest digest = sha256(bytes);
    store.put(digest, new ByteArrayInputStream(bytes));
    Files.write(paths().blob(digest), new byte[300]);
    store.quarantine(digest);

    store.put(digest, new ByteArrayInputStream(bytes));

    try (BlobContent content = store.open(digest)) {
      assertThat(content.openStream(0, content.info().size()).readAllBytes()).isEqualTo(bytes);
    }
  }

  /** What a {@link dev.meridian.core.blob.PublishListener} was told: digest, size and the file's modification time. */
  private record Told(Digest digest, long size, java.time.Instant modified) {}

  @Test
  void aCommittedUploadAndAPutAreToldWithTheStampTheirFileHas() throws IOException {
    List<Told> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    FileSystemBlobStore store = new FileSystemBlobStore(root, (digest, size, modified) -> told.add(new Told(digest, size, modified)));
    opened.add(store);
    byte[] uploaded = randomBytes(40_000, 71);
    byte[] put = randomBytes(3_000, 72);
    BlobUpload upload = store.startUpload(new UploadId("told"));
    upload.append(java.nio.ByteBuffer.wrap(uploaded));
    upload.commit(sha256(uploaded));
    store.put(sha256(put), new ByteArrayInputStream(put));

    assertThat(told).containsExactly(
        new Told(sha256(uploaded), uploaded.length, Files.getLastModifiedTime(paths().blob(sha256(uploaded))).toInstant()),
        new Told(sha256(put), put.length, Files.getLastModifiedTime(paths().blob(sha256(put))).toInstant()));
  }

  @Test
  void nothingIsToldForADigestStoredAlreadyNorForContentThatDoesNotMatch() {
    List<Told> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    FileSystemBlobStore store = new FileSystemBlobStore(root, (digest, size, modified) -> told.add(new Told(digest, size, modified)));
    opened.add(store);
    byte[] bytes = randomBytes(5_000, 73);
    store.put(sha256(bytes), new ByteArrayInputStream(bytes));
    told.clear();

    BlobUpload again = store.startUpload(new UploadId("again"));
    again.append(java.nio.ByteBuffer.wrap(bytes));
    again.commit(sha256(bytes)); // the stored file was not hashed now: no verdict about it
    store.put(sha256(bytes), new ByteArrayInputStream(bytes));
    byte[] other = randomBytes(5_000, 74);
    BlobUpload wrong = store.startUpload(new UploadId("wrong"));
    wrong.append(java.nio.ByteBuffer.wrap(other));
    assertThatThrownBy(() -> wrong.commit(sha256(bytes)))
        .isInstanceOfSatisfying(dev.meridian.core.error.RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));

    assertThat(told).isEmpty();
  }
}
