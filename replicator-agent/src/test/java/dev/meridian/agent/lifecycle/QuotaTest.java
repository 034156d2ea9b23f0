package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage quotas of the registry and of a namespace, as one region admits pushes. */
class QuotaTest {
  @TempDir Path dir;
  private RocksDbRegistryState state;
  private FileSystemBlobStore blobs;
  private RegistryService service;
  private StorageUsage usage;

  private void open(QuotaPolicy policy) {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    usage = new StorageUsage(state, policy);
    service = new RegistryService(blobs, state, new Hlc(Clock.systemUTC()), new RegionId("eastus"), Clock.systemUTC(),
        new ContentGuard(), () -> true, repository -> true, usage::admit, usage::admitUpload);
    usage.refresh();
  }

  /** The same registers under another policy, as after a restart with other quotas. */
  private void reopen(QuotaPolicy policy) {
    usage = new StorageUsage(state, policy);
    service = new RegistryService(blobs, state, new Hlc(Clock.systemUTC()), new RegionId("eastus"), Clock.systemUTC(),
        new ContentGuard(), () -> true, repository -> true, usage::admit, usage::admitUpload);
    usage.refresh();
  }

  private static QuotaPolicy repositoryQuotas(String... rules) {
    return new QuotaPolicy(Optional.empty(), Map.of(), java.util.Arrays.stream(rules).map(QuotaPolicy::parseRepository).toList());
  }

  private static void assertRepositoryRefused(Runnable upload, String repository, String... details) {
    assertThatThrownBy(upload::run).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(OciErrorCode.DENIED);
      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.getMessage()).contains("storage quota of the repository " + repository).contains(details);
    });
  }

  @AfterEach
  void close() {
    if (state != null) state.close();
    if (blobs != null) blobs.close();
  }

  private void upload(RepositoryName repository, byte[] content) {
    UploadStatus started = service.startUpload(repository);
    UploadWriter writer = service.beginWrite(repository, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    service.completeUpload(writer, digest(content));
  }

  private Digest push(String repository, String tag, byte[] config, byte[] layer) {
    RepositoryName name = new RepositoryName(repository);
    upload(name, config);
    upload(name, layer);
    return service.putManifest(name, Reference.parse(tag), MediaType.OCI_MANIFEST, manifest(config, List.of(layer))).digest();
  }

  private static void assertQuotaRefused(Runnable push, String scope) {
    assertThatThrownBy(push::run).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(OciErrorCode.DENIED);
      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.getMessage()).contains("storage quota of the " + scope + " exceeded");
    });
  }

  @Test
  void aPushBeyondTheRegistryQuotaIsRefusedWhileOneReusingStoredLayersFitsAndADeleteMakesRoom() {
    open(new QuotaPolicy(Optional.of(10_000L), Map.of()));
    byte[] layer = randomBytes(1, 6000);
    Digest first = push("team/app", "v1", randomBytes(2, 100), layer);

    assertQuotaRefused(() -> push("team/app", "v2", randomBytes(3, 100), randomBytes(4, 6000)), "registry");
    push("team/app", "v3", randomBytes(5, 100), layer); // adds only a config and a manifest
    assertThat(usage.registryBytes()).isBetween(6000L + 200, 7000L);

    service.deleteManifest(new RepositoryName("team/app"), Reference.parse(first.toString()));
    service.deleteManifest(new RepositoryName("team/app"), Reference.parse("v3"));
    service.deleteManifest(new RepositoryName("team/app"), Reference.parse(digest(manifest(randomBytes(5, 100), List.of(layer))).toString()));
    usage.refresh();
    push("team/app", "v2", randomBytes(3, 100), randomBytes(4, 6000));
  }

  @Test
  void aNamespaceQuotaBoundsOnlyItsNamespace() {
    open(new QuotaPolicy(Optional.empty(), Map.of("team-a", 5000L)));
    push("team-a/app", "v1", randomBytes(6, 100), randomBytes(7, 4000));

    assertQuotaRefused(() -> push("team-a/web", "v1", randomBytes(8, 100), randomBytes(9, 4000)), "namespace team-a");
    push("team-b/app", "v1", randomBytes(10, 100), randomBytes(11, 40_000));
    assertThat(usage.namespaceBytes("team-b")).isGreaterThan(40_000);
  }

  @Test
  void aRegionStartedOverStoredContentEnforcesItsRegistryQuotaFromTheFirstPush() {
    open(QuotaPolicy.UNLIMITED);
    push("team/app", "v1", randomBytes(30, 100), randomBytes(31, 6000));
    // As after a restart with a quota: the usage is counted in the background, and the first push waits for it.
    usage = new StorageUsage(state, new QuotaPolicy(Optional.of(10_000L), Map.of()));
    service = new RegistryService(blobs, state, new Hlc(Clock.systemUTC()), new RegionId("eastus"), Clock.systemUTC(),
        new ContentGuard(), () -> true, repository -> true, usage::admit, usage::admitUpload);
    usage.start(java.time.Duration.ofHours(1));
    try {
      assertQuotaRefused(() -> push("team/app", "v2", randomBytes(32, 100), randomBytes(33, 6000)), "registry");
      assertThat(usage.registryBytes()).isBetween(6000L + 100, 7000L);
    } finally {
      usage.close();
    }
  }

  @Test
  void aPushWaitingForTheFirstScanDoesNotKeepThatScanFromRunning() throws Exception {
    open(QuotaPolicy.UNLIMITED);
    push("team/app", "v1", randomBytes(40, 100), randomBytes(41, 6000));
    usage = new StorageUsage(state, new QuotaPolicy(Optional.of(1_000_000L), Map.of()));
    var manifestDigest = digest(randomBytes(42, 10));
    // The push arrives before the scan starts (as a client retrying while the agent starts): it must wait for the
    // scan without holding what the scan needs.
    var push = java.util.concurrent.CompletableFuture.runAsync(
        () -> usage.admit(new RepositoryName("team/app"), manifestDigest, 10, List.of()));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> java.util.Arrays.stream(Thread.getAllStackTraces().keySet().toArray(Thread[]::new))
            .anyMatch(t -> java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("awaitFirstScan"))));
    usage.start(java.time.Duration.ofHours(1));
    try {
      push.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(usage.registryBytes()).isBetween(6000L + 100 + 10, 7000L);
    } finally {
      usage.close();
    }
  }

  @Test
  void aBackgroundScanIsPacedUnlessPushesWaitForItsFirstCount() {
    open(QuotaPolicy.UNLIMITED);
    assertThat(StorageUsage.PACED_SHARE).isBetween(0.0, 0.99);
    assertThat(new StorageUsage(state, QuotaPolicy.UNLIMITED).backgroundShare()).isEqualTo(StorageUsage.PACED_SHARE);

    StorageUsage underQuota = new StorageUsage(state, new QuotaPolicy(Optional.of(10_000L), Map.of()));
    assertThat(underQuota.backgroundShare()).as("pushes wait for the first count").isEqualTo(1.0);
    underQuota.refresh();
    assertThat(underQuota.backgroundShare()).isEqualTo(StorageUsage.PACED_SHARE);
  }

  @Test
  void aPushIsAdmittedWhileAScanRunsAndCountedOnTopOfWhatTheScanFound() throws Exception {
    open(QuotaPolicy.UNLIMITED);
    push("team/app", "v1", randomBytes(50, 100), randomBytes(51, 6000));
    // The same registers, whose manifest scan can be held at its start (at a million tags a scan takes seconds).
    AtomicBoolean holdNextScan = new AtomicBoolean();
    CountDownLatch scanHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RegistryState registers = (RegistryState) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {RegistryState.class}, (proxy, method, args) -> {
          if (method.getName().equals("forEachManifestContent") && holdNextScan.getAndSet(false)) {
            scanHeld.countDown();
            release.await();
          }
          try {
            return method.invoke(state, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    StorageUsage counting = new StorageUsage(registers, new QuotaPolicy(Optional.of(10_000L), Map.of()));
    counting.refresh();
    long scanned = counting.registryBytes();
    assertThat(scanned).isBetween(6100L, 7000L);

    holdNextScan.set(true);
    ExecutorService threads = Executors.newCachedThreadPool();
    var scan = CompletableFuture.runAsync(counting::refresh, threads);
    try {
      assertThat(scanHeld.await(10, TimeUnit.SECONDS)).isTrue();
      // Admitted while the scan runs, and never seen by it: the manifest is not written.
      CompletableFuture.runAsync(
          () -> counting.admit(new RepositoryName("team/app"), digest(randomBytes(52, 10)), 3000, List.of()), threads)
          .get(10, TimeUnit.SECONDS);
      assertThat(scan).isNotDone();
    } finally {
      release.countDown();
      threads.shutdown();
    }
    scan.get(10, TimeUnit.SECONDS);

    assertThat(counting.registryBytes()).isEqualTo(scanned + 3000);
    assertQuotaRefused(() -> counting.admit(new RepositoryName("team/app"), digest(randomBytes(53, 10)), 1000, List.of()),
        "registry");
  }

  @Test
  void usageIsKeptPerRepositoryOnlyWhereARepositoryQuotaAppliesButAlwaysForTheRegistry() {
    open(repositoryQuotas("team-a/*=50000"));
    push("team-a/app", "v1", randomBytes(34, 100), randomBytes(35, 3000));
    push("team-b/app", "v1", randomBytes(36, 100), randomBytes(37, 4000));
    usage.refresh();

    assertThat(usage.repositoryBytes("team-a/app")).isBetween(3100L, 4000L);
    assertThat(usage.repositoryBytes("team-b/app")).isZero();
    assertThat(usage.namespaceBytes("team-a")).isZero();
    assertThat(usage.registryBytes()).isBetween(7200L, 8500L);
  }

  @Test
  void usageIsCountedEveryFewSecondsUnderAQuotaAndEveryFewMinutesWithoutOne() {
    assertThat(StorageUsage.refreshInterval(QuotaPolicy.UNLIMITED)).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(StorageUsage.refreshInterval(new QuotaPolicy(Optional.of(1L << 40), Map.of())))
        .isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(StorageUsage.refreshInterval(repositoryQuotas("team-a/*=5G"))).isEqualTo(java.time.Duration.ofSeconds(5));
  }

  @Test
  void withoutAQuotaNothingIsRefusedAndTheUsageShownIsTheLastScans() {
    open(QuotaPolicy.UNLIMITED);
    Digest image = push("team/app", "v1", randomBytes(60, 100), randomBytes(61, 6000));
    assertThat(usage.registryBytes()).isZero();
    usage.refresh();
    assertThat(usage.registryBytes()).isBetween(6100L, 7000L);

    service.deleteManifest(new RepositoryName("team/app"), Reference.parse(image.toString()));
    usage.refresh();
    assertThat(usage.registryBytes()).isZero();
  }

  @Test
  void aPushAdmittedBeforeAScanBeganButLandingAfterItReadTheRegistersIsStillCounted() {
    open(new QuotaPolicy(Optional.of(10_000L), Map.of()));
    // Admitted, and not written yet when the scan reads the registers: the scan cannot see it.
    usage.admit(new RepositoryName("team/app"), digest(randomBytes(62, 10)), 6000, List.of());
    usage.refresh();

    assertThat(usage.registryBytes()).isEqualTo(6000);
    assertQuotaRefused(() -> usage.admit(new RepositoryName("team/app"), digest(randomBytes(63, 10)), 5000, List.of()),
        "registry");
    // A push admitted but never written (its commit failed) is forgotten by the scan after that.
    usage.refresh();
    assertThat(usage.registryBytes()).isZero();
  }

  @Test
  void quotaSizesParseWithBinaryUnits() {
    assertThat(QuotaPolicy.parseSize("500M")).isEqualTo(500L << 20);
    assertThat(QuotaPolicy.parseNamespace("team-a=2G")).isEqualTo(Map.entry("team-a", 2L << 30));
    assertThatThrownBy(() -> QuotaPolicy.parseSize("lots")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void repositoryQuotasParseNamesAndGlobsAndTheFirstMatchingRuleWins() {
    QuotaPolicy policy = repositoryQuotas("team-a/app=1M", "team-a/*=2G", "team-a/**=3K");

    assertThat(policy.repositoryQuota("team-a/app")).contains(1L << 20);
    assertThat(policy.repositoryQuota("team-a/web")).contains(2L << 30);
    assertThat(policy.repositoryQuota("team-a/x/web")).contains(3L << 10);
    assertThat(policy.repositoryQuota("team-a")).contains(3L << 10);
    assertThat(policy.repositoryQuota("team-b/app")).isEmpty();
    assertThat(policy.unlimited()).isFalse();
    assertThat(QuotaPolicy.UNLIMITED.unlimited()).isTrue();
    assertThatThrownBy(() -> QuotaPolicy.parseRepository("Team/*=1G")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Team/*=1G").hasMessageContaining("lower case");
    assertThatThrownBy(() -> QuotaPolicy.parseRepository("team-a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REPOSITORY=SIZE");
    assertThatThrownBy(() -> QuotaPolicy.parseRepository("team-a=lots")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aManifestPushBeyondARepositoryQuotaIsRefusedWhileOtherRepositoriesOfTheGlobHaveTheirOwn() {
    open(repositoryQuotas("team-a/*=5000"));
    push("team-a/app", "v1", randomBytes(12, 100), randomBytes(13, 2000));
    // the upload fits (2000 used + 2500), the manifest would take the repository to about 4600 + 2500
    byte[] layer = randomBytes(14, 2500);
    assertRepositoryRefused(() -> push("team-a/app", "v2", randomBytes(15, 100), layer), "team-a/app", "exceeded", "of 5000");

    push("team-a/web", "v1", randomBytes(16, 100), randomBytes(17, 4000));
    push("team-b/app", "v1", randomBytes(18, 100), randomBytes(19, 40_000));
    assertThat(usage.repositoryBytes("team-a/web")).isBetween(4100L, 5000L);
  }

  @Test
  void aChunkThatWouldPassTheRepositoryQuotaIsRefusedAndTheSessionStaysResumable() {
    open(repositoryQuotas("team-a/app=5000"));
    push("team-a/app", "v1", randomBytes(20, 100), randomBytes(21, 2000));
    long used = usage.repositoryBytes("team-a/app");
    RepositoryName app = new RepositoryName("team-a/app");
    byte[] blob = randomBytes(22, 2000);
    UploadStatus session = service.startUpload(app);
    UploadWriter first = service.beginWrite(app, session.id().value(), OptionalLong.of(0), 1500);
    first.append(ByteBuffer.wrap(blob, 0, 1500));
    service.endChunk(first);

    // 1500 held + 2000 more would pass 5000 with what the repository uses
    assertRepositoryRefused(() -> service.beginWrite(app, session.id().value(), OptionalLong.of(1500), 2000),
        "team-a/app", used + " bytes used of 5000", "would hold 3500");
    String other = service.startUpload(app).id().value();
    assertRepositoryRefused(() -> service.beginWrite(app, other, OptionalLong.of(0), 5000 - used + 1), "team-a/app", "exceeded");
    upload(new RepositoryName("team-a/web"), randomBytes(24, 50_000));

    UploadWriter rest = service.beginWrite(app, session.id().value(), OptionalLong.of(1500), 500);
    rest.append(ByteBuffer.wrap(blob, 1500, 500));
    assertThat(service.completeUpload(rest, digest(blob)).size()).isEqualTo(2000);
  }

  @Test
  void aRepositoryAtItsQuotaRefusesNewUploadsAndMountsUntilImagesAreDeleted() {
    open(QuotaPolicy.UNLIMITED);
    byte[] layer = randomBytes(25, 3000);
    Digest image = push("team-a/app", "v1", randomBytes(26, 100), layer);
    upload(new RepositoryName("team-b/app"), randomBytes(27, 10));
    reopen(repositoryQuotas("team-a/app=3000"));
    RepositoryName app = new RepositoryName("team-a/app");
    String used = usage.repositoryBytes("team-a/app") + " bytes used of 3000";

    assertRepositoryRefused(() -> service.startUpload(app), "team-a/app", "reached", used);
    assertRepositoryRefused(() -> service.mount(app, digest(randomBytes(27, 10)), Optional.of(new RepositoryName("team-b/app"))),
        "team-a/app", "reached", used);
    assertThat(service.startUpload(new RepositoryName("team-b/app"))).isNotNull();

    service.deleteManifest(app, Reference.parse(image.toString()));
    usage.refresh();
    upload(app, randomBytes(28, 2900));
  }
}
