package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.LinkProxy;
import dev.meridian.agent.it.support.ManualFleet;
import dev.meridian.agent.it.support.ManualFleet.Link;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.log.DeadLetterPublisher;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.transfer.BlobFetcher;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.TransferJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Replication under faults, with a fleet built by hand ({@link ManualFleet}) so that the broker and a region can
 * be stopped and restarted on their data directories: the log down for a while, a record that is not an event,
 * a blob corrupted on the origin's disk, a region restarted in the middle of a large transfer, a peer cut off.
 *
 * <p>Region b reaches a and c through {@link LinkProxy proxies} (cut, slowed or counted per test); a and c reach
 * everyone directly. One fleet serves the class; every test works in repositories of its own and leaves the
 * broker, the regions and the links as it found them.
 */
class ReplicationFaultsIT {
  private static final Duration CONVERGED = Duration.ofSeconds(90);
  private static final Convergence CONVERGENCE = new Convergence(CONVERGED);
  private static final Path RUN_DIR = Path.of("target", "it-runs", "ReplicationFaultsIT").toAbsolutePath();
  /** Short pauses so that a test sees retries within seconds, not the production minutes. */
  private static final TransferConfig TRANSFERS = TransferConfig.builder()
      .retryAttempts(2)
      .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
      .jobBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
      .breaker(50, 5, 10, Duration.ofSeconds(2))
      .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
      .scanInterval(Duration.ofSeconds(1))
      .build();

  private static ManualFleet fleet;
  private static RegionClient a;
  private static RegionClient b;
  private static RegionClient c;
  private static List<RegionClient> regions;

  private Path scratch;

  @BeforeAll
  static void startFleet() {
    Agents.deleteRecursively(RUN_DIR);
    fleet = ManualFleet.start(RUN_DIR.resolve("fleet"), List.of("a", "b", "c"),
        List.of(new Link("b", "a"), new Link("b", "c")), TRANSFERS);
    a = fleet.client("a");
    b = fleet.client("b");
    c = fleet.client("c");
    regions = List.of(a, b, c);
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @BeforeEach
  void scratchDir(TestInfo test) throws IOException {
    scratch = RUN_DIR.resolve("scratch").resolve(test.getTestMethod().orElseThrow().getName());
    Agents.deleteRecursively(scratch);
    Files.createDirectories(scratch);
  }

  @AfterEach
  void restoreLinks() {
    for (String to : List.of("a", "c")) {
      LinkProxy link = fleet.link("b", to);
      link.unblock();
      link.throttle(0);
    }
  }

  @Test
  void pushesSucceedWhileKafkaIsDownAndEveryRegionConvergesWhenItReturns() {
    String repo = "faults/kafka-down";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage fromA = layout.image("from-a", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1101, 100_000)));
    WrittenImage fromC = layout.image("from-c", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1102, 100_000)));

    fleet.stopBroker();
    try {
      push(layout, "from-a", a, repo + ":from-a");
      push(layout, "from-c", c, repo + ":from-c");
      assertThat(a.resolve(repo, "from-a")).contains(fromA.manifestDigest());
      assertThat(c.resolve(repo, "from-c")).contains(fromC.manifestDigest());
      // Asked directly, b would read the image through from a (read-through); its own state must not know it.
      assertThat(fleet.agent("b").state().findTag(new RepositoryName(repo), new Tag("from-a")))
          .as("nothing reaches b's state without the log").isEmpty();
    } finally {
      fleet.startBroker();
    }

    CONVERGENCE.awaitEvery(regions, region -> {
      assertThat(region.resolve(repo, "from-a")).as("%s", region).contains(fromA.manifestDigest());
      assertThat(region.resolve(repo, "from-c")).as("%s", region).contains(fromC.manifestDigest());
    });
  }

  @Test
  void recordThatIsNotAnEventGoesToTheDeadLetterTopicWithItsReasonAndReplayGoesOn() throws Exception {
    String repo = "faults/poison";
    byte[] poison = "{\"schema\":1,\"type\":\"no.such.event\" not even JSON \u0000\u00ff".getBytes(StandardCharsets.UTF_8);
    Map<String, Long> deadLetteredBefore = deadLettered();
    try (var producer = new KafkaProducer<String, byte[]>(producerProperties())) {
      // Keyed like the repository's own events: the push below lands in the partition behind the poison record.
      producer.send(new ProducerRecord<>(KafkaTopics.EVENTS, repo, poison)).get();
    }

    List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(consumerProperties())) {
      List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.DEAD_LETTERS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Every region replays the record on its own, so each dead-letters its own copy.
      await("a dead letter from every region").atMost(CONVERGED).until(() -> {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (Arrays.equals(record.value(), poison)) letters.add(record);
        }
        return letters.size() >= regions.size();
      });
    }
    assertThat(letters).hasSize(regions.size()).allSatisfy(letter -> {
      assertThat(header(letter, DeadLetterPublisher.REASON_HEADER)).isNotBlank();
      assertThat(header(letter, DeadLetterPublisher.SOURCE_HEADER)).matches(Pattern.quote(KafkaTopics.EVENTS) + "/\\d+@\\d+");
    });
    Map<String, Long> deadLetteredAfter = deadLettered();
    for (String region : fleet.regions()) {
      assertThat(deadLetteredAfter.get(region)).as("dead letters of %s", region).isGreaterThan(deadLetteredBefore.get(region));
    }

    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage after = layout.image("after", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1201, 20_000)));
    push(layout, "after", a, repo + ":after");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "after")).as("%s", region).contains(after.manifestDigest()));
  }

  /**
   * A flipped byte in a blob file on a's disk. a still hands the file as it is to a client that asks (it re-hashes
   * what it stored only in scrub passes), but never to a peer: a blob a peer copies is hashed before it is sent,
   * so b's first request makes a quarantine the layer and answer 404. a then fetches the true bytes again from c,
   * and b, which cannot reach c, completes from a: only the true bytes ever cross b's link to a.
   */
  @Test
  void blobCorruptedOnTheOriginsDiskIsNeverServedByAnotherRegion() throws Exception {
    String repo = "faults/corrupt";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.plain(1301, 2 << 20)));
    Digest layer = image.layerDigests().get(0);
    LinkProxy toA = fleet.link("b", "a");
    LinkProxy toC = fleet.link("b", "c");
    toA.block();
    toC.block();

    push(layout, "v1", a, repo + ":v1");
    CONVERGENCE.await(() -> assertThat(c.resolve(repo, "v1")).contains(image.manifestDigest()));
    corruptOneByte(new BlobPaths(fleet.config("a").blobsRoot()).blob(layer));
    assertThat(a.servesBlob(repo, layer)).as("a serves the corrupt file as stored to a client").isFalse();
    assertThat(a.blobStatus(repo, layer)).isEqualTo(200);

    toA.resetCounter();
    toA.unblock();
    long layerSize = Files.size(layout.root().resolve("blobs/sha256").resolve(layer.hex()));
    Path quarantine = fleet.config("a").blobsRoot().resolve("quarantine");
    await("a quarantines the layer when b asks for it").atMost(CONVERGED).until(() -> holds(quarantine, layer));
    CONVERGENCE.await(() -> assertThat(b.resolve(repo, "v1")).contains(image.manifestDigest()));
    assertThat(b.servesBlob(repo, layer)).as("b holds the true bytes").isTrue();
    assertThat(a.servesBlob(repo, layer)).as("a fetched the true bytes again").isTrue();
    assertThat(toA.bytesToClient()).as("the layer crossed to b once: the true bytes, never the corrupt ones")
        .isLessThan(2 * layerSize);
  }

  /**
   * b is closed while a 200 MiB layer is part-way across its (slowed) links, then started again on the same data
   * directory. It resumes from the bytes its upload session held: what crosses b's links after the restart is
   * the rest of the layer, not the whole of it.
   */
  @Test
  void regionRestartedMidTransferResumesWithoutFetchingAgainWhatItHad() throws Exception {
    String repo = "faults/resume";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.plain(1401, 200 << 20)));
    Digest layer = image.layerDigests().get(0);
    long layerSize = Files.size(layout.root().resolve("blobs/sha256").resolve(layer.hex()));
    List<LinkProxy> linksOfB = List.of(fleet.link("b", "a"), fleet.link("b", "c"));
    for (LinkProxy link : linksOfB) {
      link.throttle(40L << 20);
      link.resetCounter();
    }
    Path session = new BlobPaths(fleet.config("b").blobsRoot()).uploadData(BlobFetcher.uploadIdFor(layer));

    push(layout, "v1", a, repo + ":v1");
    await("b is a third of the way through the layer").atMost(CONVERGED).until(() -> bytesInto(linksOfB) >= 64L << 20);
    // Nearly stall the links, so that the transfer is still running whatever the agent's shutdown takes.
    for (LinkProxy link : linksOfB) link.throttle(256 << 10);
    fleet.stopRegion("b");
    long beforeRestart = bytesInto(linksOfB);
    long held = Files.size(session);
    assertThat(held).as("b's upload session after a clean stop").isBetween(1L, layerSize - 1);
    for (LinkProxy link : linksOfB) {
      link.resetCounter();
      link.throttle(0);
    }

    fleet.startRegion("b");
    CONVERGENCE.await(() -> assertThat(b.resolve(repo, "v1")).contains(image.manifestDigest()));

    long afterRestart = bytesInto(linksOfB);
    System.out.printf("resume: layer %d bytes, %d crossed before the restart, %d held, %d crossed after%n",
        layerSize, beforeRestart, held, afterRestart);
    assertThat(afterRestart).as("bytes b fetched after its restart").isLessThanOrEqualTo(layerSize - held + (1 << 20));
    assertThat(b.blobStatus(repo, layer)).isEqualTo(200);
    assertThat(Files.exists(session)).as("the session is gone once the blob is published").isFalse();
  }

  @Test
  void whileItsPeersAreUnreachableARegionKeepsServingThePreviousCompleteManifest() {
    String repo = "faults/unreachable";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1501, 30_000)));
    WrittenImage v2 = layout.image("v2", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1502, 30_000)));
    push(layout, "v1", a, repo + ":app");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "app")).contains(v1.manifestDigest()));
    fleet.link("b", "a").block();
    fleet.link("b", "c").block();

    push(layout, "v2", a, repo + ":app");
    CONVERGENCE.await(() -> assertThat(c.resolve(repo, "app")).contains(v2.manifestDigest()));
    await("b knows of v2 but cannot fetch it").atMost(CONVERGED).until(() -> fleet.agent("b").state()
        .findTransfer(new RepositoryName(repo), v2.manifestDigest(), TransferJob.Kind.MANIFEST).isPresent());
    await("b serves v1 only").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() ->
        b.resolve(repo, "app").equals(Optional.of(v1.manifestDigest()))
            && b.resolve(repo, v2.manifestDigest().toString()).isEmpty());

    fleet.link("b", "a").unblock();
    fleet.link("b", "c").unblock();
    CONVERGENCE.await(() -> assertThat(b.resolve(repo, "app")).contains(v2.manifestDigest()));
  }

  /** Whether {@code dir} holds a file named after the digest. */
  private static boolean holds(Path dir, Digest digest) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (var files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().contains(digest.hex()));
    }
  }

  private static long bytesInto(List<LinkProxy> links) {
    return links.stream().mapToLong(LinkProxy::bytesToClient).sum();
  }

  /** Flips one byte in the middle of a stored blob file, keeping its size. */
  private static void corruptOneByte(Path file) throws IOException {
    file.toFile().setWritable(true);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long middle = channel.size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, middle);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      channel.write(one, middle);
      channel.force(true);
    }
  }

  private static Map<String, Long> deadLettered() {
    var counts = new java.util.HashMap<String, Long>();
    for (String region : fleet.regions()) {
      counts.put(region, fleet.agent(region).replication().orElseThrow().replayer().deadLettered());
    }
    return counts;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Properties producerProperties() {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  private static Properties consumerProperties() {
    var props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.kafkaBootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  private static void push(OciLayoutWriter layout, String tag, RegionClient region, String repositoryAndTag) {
    region.skopeo().copy(Skopeo.oci(layout.root(), tag), region.ref(repositoryAndTag), false);
  }



}
