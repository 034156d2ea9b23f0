package dev.meridian.agent.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.ManualFleet;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.WebhookReceiver;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.oci.RepositoryName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks per region and the notifications topic on a real Kafka broker with two regions, each region posting to
 * its own receiver (a loopback HTTP server): a push is {@code push} in its region and {@code replicated} in the other,
 * signed, once per id; events queued through a receiver's outage (503s, then no listener at all) and through an
 * agent's restart all arrive; the same events are records of {@code meridian.notifications}.
 */
class WebhooksFleetIT {
  private static final Path RUN_DIR = Path.of("target", "it-runs", "WebhooksFleetIT").toAbsolutePath();
  private static final Duration ARRIVES = Duration.ofSeconds(60);
  private static final byte[] SECRET = "webhooks-it-secret-0123456789".getBytes(UTF_8);

  private static ManualFleet fleet;
  private static final Map<String, WebhookReceiver> receivers = new HashMap<>();

  @BeforeAll
  static void startFleet() throws Exception {
    Agents.deleteRecursively(RUN_DIR);
    Files.createDirectories(RUN_DIR);
    Path secretFile = RUN_DIR.resolve("webhook-secret");
    Files.write(secretFile, SECRET);
    for (String region : List.of("a", "b")) receivers.put(region, WebhookReceiver.start(SECRET));
    fleet = ManualFleet.start(RUN_DIR.resolve("fleet"), List.of("a", "b"), List.of(), TransferConfig.defaults(),
        UnaryOperator.identity(), config -> config.withLifecycle(config.lifecycle().withNotifications(
            NotificationConfig.defaults()
                .withWebhook(new NotificationConfig.Webhook(receivers.get(config.region().value()).url(), Optional.of(secretFile),
                    EnumSet.allOf(NotificationType.class)))
                .withBackoff(new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))))));
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
    receivers.values().forEach(WebhookReceiver::close);
  }

  private static Digest push(String region, String repository, String tag, long seed) {
    RegionClient client = fleet.client(region);
    byte[] config = TestImages.randomBytes(seed, 120);
    byte[] layer = TestImages.randomBytes(seed + 1, 3000);
    client.http().pushBlob(repository, config);
    client.http().pushBlob(repository, layer);
    var response = client.http().putManifest(repository, tag, TestImages.manifest(config, List.of(layer)), TestImages.OCI_MANIFEST);
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(201);
    return Digest.parse(response.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  /** The distinct events (by id) of {@code repository} a region's receiver got. */
  private static List<Notification> received(String region, String repository) {
    return receivers.get(region).events().stream()
        .filter(n -> n.repository().equals(Optional.of(new RepositoryName(repository)))).toList();
  }

  /** Every delivery of {@code repository} to the region's receiver was signed and named its event and id in headers. */
  private static void assertSignedAndLabelled(String region, String repository) {
    for (WebhookReceiver.Delivery d : receivers.get(region).deliveries()) {
      if (!d.event().repository().equals(Optional.of(new RepositoryName(repository)))) continue;
      assertThat(d.signed()).as("signature of %s in %s", d.event().id(), region).isTrue();
      assertThat(d.eventHeader()).isEqualTo(d.event().type().wireName());
      assertThat(d.deliveryHeader()).isEqualTo(d.event().id());
    }
  }

  /** Per digest, the ids of {@code type} notifications: exactly one each, and no digest missing. */
  private static void assertOncePerDigest(List<Notification> events, NotificationType type, Set<Digest> digests, String region) {
    Map<Digest, List<String>> ids = events.stream().filter(n -> n.type() == type)
        .collect(Collectors.groupingBy(Notification::digest, Collectors.mapping(Notification::id, Collectors.toList())));
    assertThat(ids.keySet()).as("%s notifications in %s", type.wireName(), region).containsExactlyInAnyOrderElementsOf(digests);
    ids.forEach((digest, list) -> assertThat(list).as("ids of %s %s in %s", type.wireName(), digest, region).hasSize(1));
  }

  private static long queued(String region) {
    return fleet.agent(region).notifications().status().stream()
        .filter(s -> s.destination().equals(NotificationDestination.WEBHOOK)).mapToLong(NotificationStatus::queued).sum();
  }

  @Test
  void aPushIsPushInItsRegionAndReplicatedInThePeerOnceSignedAndOnTheTopic() {
    String repository = "hooks/one";
    Digest image = push("a", repository, "v1", 1);

    await("push at a, replicated at b").atMost(ARRIVES).untilAsserted(() -> {
      assertThat(received("a", repository)).extracting(Notification::type).contains(NotificationType.PUSH);
      assertThat(received("b", repository)).extracting(Notification::type).contains(NotificationType.REPLICATED);
    });
    List<Notification> atA = received("a", repository);
    List<Notification> atB = received("b", repository);
    assertThat(atA).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.PUSH);
      assertThat(n.digest()).isEqualTo(image);
      assertThat(n.tag()).map(t -> t.value()).contains("v1");
      assertThat(n.region().value()).isEqualTo("a");
      assertThat(n.size()).isPositive();
    });
    assertThat(atB).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.REPLICATED);
      assertThat(n.digest()).isEqualTo(image);
      assertThat(n.region().value()).isEqualTo("b");
      assertThat(n.origin().map(o -> o.value())).contains("a");
    });
    assertSignedAndLabelled("a", repository);
    assertSignedAndLabelled("b", repository);

    // The same two events, with the same ids, are records of the notifications topic, signed with the fleet key.
    EventSigner signer = new EventSigner(fleet.key().eventSigningKey());
    List<ConsumerRecord<String, byte[]>> records = topicRecords(repository, 2);
    NotificationCodec codec = new NotificationCodec();
    assertThat(records).extracting(r -> codec.decode(r.value()).id())
        .containsExactlyInAnyOrder(atA.get(0).id(), atB.get(0).id());
    for (ConsumerRecord<String, byte[]> r : records) {
      assertThat(r.key()).isEqualTo(repository);
      Header sig = r.headers().lastHeader(EventSigner.HEADER);
      assertThat(signer.reject(r.key(), r.value(), Optional.ofNullable(sig).map(h -> new String(h.value(), UTF_8)))).isEmpty();
    }
  }

  @Test
  void eventsQueuedThroughTheReceiversOutageAllArriveOnceItIsBack() throws Exception {
    String repository = "hooks/outage";
    WebhookReceiver atA = receivers.get("a");
    WebhookReceiver atB = receivers.get("b");
    atA.failing(true); // answers 503
    atB.stop(); // refuses connections
    Set<Digest> images = new java.util.HashSet<>();
    try {
      for (int i = 0; i < 3; i++) images.add(push("a", repository, "v" + i, 100 + 10 * i));
      await("notifications queued in both regions during the outage").atMost(ARRIVES).untilAsserted(() -> {
        assertThat(queued("a")).isGreaterThanOrEqualTo(3);
        assertThat(queued("b")).isGreaterThanOrEqualTo(3);
        assertThat(atA.refused()).isPositive();
        assertThat(fleet.agent("b").notifications().status()).anySatisfy(s -> assertThat(s.lastError()).isPresent());
      });
      assertThat(received("a", repository)).isEmpty();
      assertThat(received("b", repository)).isEmpty();
      // An operator sees the backlog and why: the admin API and the metrics.
      var admin = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fleet.client("a").http().get("/admin/v1/notifications").body());
      var webhook = java.util.stream.StreamSupport.stream(admin.path("destinations").spliterator(), false)
          .filter(d -> d.path("destination").asText().equals("webhook")).findFirst().orElseThrow();
      assertThat(webhook.path("target").asText()).isEqualTo(atA.url().toString());
      assertThat(webhook.path("queued").asLong()).isGreaterThanOrEqualTo(3);
      assertThat(webhook.path("lastError").asText()).contains("answered 503");
      String metrics = new String(fleet.client("a").http().get("/metrics").body(), UTF_8);
      assertThat(metrics).containsPattern("meridian_webhook_failed_total\\{destination=\"webhook\",region=\"a\"} [1-9]")
          .containsPattern("meridian_webhook_queue\\{destination=\"webhook\",region=\"a\"} [3-9]");
    } finally {
      atA.failing(false);
      atB.start();
    }
    await("every queued event after the outage").atMost(ARRIVES).untilAsserted(() -> {
      assertThat(received("a", repository)).hasSize(3);
      assertThat(received("b", repository)).hasSize(3);
    });
    assertOncePerDigest(received("a", repository), NotificationType.PUSH, images, "a");
    assertOncePerDigest(received("b", repository), NotificationType.REPLICATED, images, "b");
    assertSignedAndLabelled("a", repository);
    assertSignedAndLabelled("b", repository);
    await().atMost(ARRIVES).until(() -> queued("a") == 0 && queued("b") == 0);
  }

  @Test
  void notificationsQueuedWhenTheAgentStopsAreDeliveredAfterItsRestart() {
    String repository = "hooks/restart";
    WebhookReceiver atB = receivers.get("b");
    atB.stop();
    Digest image;
    try {
      image = push("a", repository, "v1", 200);
      await("replicated queued at b").atMost(ARRIVES).until(() -> queued("b") >= 1);
      fleet.stopRegion("b");
      fleet.startRegion("b");
      assertThat(queued("b")).as("the queue survives the restart").isGreaterThanOrEqualTo(1);
    } finally {
      atB.start();
    }
    await("replicated delivered after the restart").atMost(ARRIVES)
        .untilAsserted(() -> assertThat(received("b", repository)).isNotEmpty());
    assertOncePerDigest(received("b", repository), NotificationType.REPLICATED, Set.of(image), "b");
    assertSignedAndLabelled("b", repository);
  }

  /** Reads the notifications topic from its start until {@code expected} records of {@code key} were seen. */
  private static List<ConsumerRecord<String, byte[]>> topicRecords(String key, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.kafkaBootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
      await("the notifications topic exists").atMost(ARRIVES)
          .until(() -> !consumer.partitionsFor(KafkaTopics.NOTIFICATIONS).isEmpty());
      List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.NOTIFICATIONS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await("records of " + key + " on " + KafkaTopics.NOTIFICATIONS).atMost(ARRIVES).until(() -> {
        for (var record : consumer.poll(Duration.ofMillis(500))) if (key.equals(record.key())) seen.add(record);
        return seen.size() >= expected;
      });
    }
    return seen;
  }
}
