package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.ManualFleet;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.log.DeadLetterPublisher;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replication events are authenticated: a record written straight to the events topic by someone with Kafka
 * access but without the fleet key (no signature, or one made with another key) is dead-lettered with its reason
 * by every region and changes nothing anywhere, while the same record signed with the fleet key applies.
 */
class SignedEventsIT {
  private static final Duration CONVERGED = Duration.ofSeconds(90);
  private static final Path RUN_DIR = Path.of("target", "it-runs", "SignedEventsIT").toAbsolutePath();
  private static final String REPO = "signed/app";

  private static ManualFleet fleet;
  private static RegionClient a;
  private static RegionClient b;

  @BeforeAll
  static void startFleet() {
    Agents.deleteRecursively(RUN_DIR);
    fleet = ManualFleet.start(RUN_DIR.resolve("fleet"), List.of("a", "b"), List.of(),
        TransferConfig.builder().scanInterval(Duration.ofSeconds(1)).build());
    a = fleet.client("a");
    b = fleet.client("b");
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @Test
  void eventsNoFleetMemberSignedAreDeadLetteredAndChangeNothingWhileSignedOnesApply() throws Exception {
    var layout = new OciLayoutWriter(RUN_DIR.resolve("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(4101, 5_000)));
    a.skopeo().copy(Skopeo.oci(layout.root(), "v1"), a.ref(REPO + ":v1"), false);
    // The relay's signed events apply: the push replicates.
    new Convergence(CONVERGED).awaitEvery(List.of(a, b),
        region -> assertThat(region.resolve(REPO, "v1")).as("%s", region).contains(image.manifestDigest()));

    byte[] unsigned = tagDelete("z");
    byte[] foreign = tagDelete("z");
    String foreignSignature = new EventSigner("another-fleet-entirely-0123456789".getBytes(StandardCharsets.UTF_8))
        .sign(REPO, foreign);
    long deadBefore = deadLettered();
    try (var producer = new KafkaProducer<String, byte[]>(producerProperties())) {
      producer.send(new ProducerRecord<>(KafkaTopics.EVENTS, REPO, unsigned)).get();
      var wronglySigned = new ProducerRecord<>(KafkaTopics.EVENTS, REPO, foreign);
      wronglySigned.headers().add(EventSigner.HEADER, foreignSignature.getBytes(StandardCharsets.UTF_8));
      producer.send(wronglySigned).get();
    }

    List<ConsumerRecord<String, byte[]>> letters = deadLetters(List.of(unsigned, foreign), 4);
    assertThat(letters).extracting(r -> header(r, DeadLetterPublisher.REASON_HEADER))
        .filteredOn(reason -> reason.startsWith("SIGNATURE_MISSING")).hasSize(2);
    assertThat(letters).extracting(r -> header(r, DeadLetterPublisher.REASON_HEADER))
        .filteredOn(reason -> reason.startsWith("SIGNATURE_INVALID")).hasSize(2);
    assertThat(deadLettered()).isEqualTo(deadBefore + 4);
    for (RegionClient region : List.of(a, b)) {
      assertThat(region.resolve(REPO, "v1")).as("v1 in %s after the forged deletes", region).contains(image.manifestDigest());
    }

    // The very same delete, signed with the fleet key, is one a member could have written: it applies everywhere.
    byte[] signed = tagDelete("z");
    try (var producer = new KafkaProducer<String, byte[]>(producerProperties())) {
      var record = new ProducerRecord<>(KafkaTopics.EVENTS, REPO, signed);
      record.headers().add(EventSigner.HEADER,
          new EventSigner(fleet.key().eventSigningKey()).sign(REPO, signed).getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    new Convergence(CONVERGED).awaitEvery(List.of(a, b),
        region -> assertThat(region.resolve(REPO, "v1")).as("v1 in %s after the signed delete", region).isEmpty());
    assertThat(deadLettered()).isEqualTo(deadBefore + 4);
  }

  /** A delete of v1 from {@code origin} (a region of neither a nor b, so neither skips it as its own), stamped far in the future so that it would win over the push. */
  private static byte[] tagDelete(String origin) {
    var event = new TagDelete(UUID.randomUUID().toString(), new RegionId(origin),
        new HlcTimestamp(System.currentTimeMillis() + 60_000, 0), new RepositoryName(REPO), new Tag("v1"));
    return new EventCodec().encode(event);
  }

  private static long deadLettered() {
    long sum = 0;
    for (String region : fleet.regions()) sum += fleet.agent(region).replication().orElseThrow().replayer().deadLettered();
    return sum;
  }

  private static List<ConsumerRecord<String, byte[]>> deadLetters(List<byte[]> values, int expected) {
    List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(consumerProperties())) {
      List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.DEAD_LETTERS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await("dead letters of the forged events").atMost(CONVERGED).until(() -> {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (values.stream().anyMatch(v -> Arrays.equals(v, record.value()))) letters.add(record);
        }
        return letters.size() >= expected;
      });
    }
    return letters;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
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
}
