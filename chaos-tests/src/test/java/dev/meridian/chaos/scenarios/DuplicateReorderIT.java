package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.chaos.FleetObserver;
import dev.meridian.chaos.RegionView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every event is delivered again, twice, shuffled (old tag moves after new ones, puts after deletes), while a
 * region that missed the originals catches up on originals and copies at once: the fleet still converges, to
 * the very state it had before the copies.
 */
class DuplicateReorderIT extends ChaosScenario {
  private static final String EVENTS = "meridian.events";

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void duplicatedAndReorderedEventsChangeNothing() {
    workload.run(15);
    fleet.kafka("southeastasia").set(dev.meridian.chaos.fleet.Fault.BLACKHOLE);
    workload.step(List.of("eastus", "westeurope"));
    workload.run(15);
    fleet.healAll();
    assertConverges();
    List<RegionView> before = FleetObserver.observe(clients(), workload.history());

    fleet.kafka("southeastasia").set(dev.meridian.chaos.fleet.Fault.BLACKHOLE);
    List<ConsumerRecord<byte[], byte[]>> records = readAll();
    assertThat(records).hasSizeGreaterThan(30);
    var copies = new ArrayList<ConsumerRecord<byte[], byte[]>>(records);
    copies.addAll(records);
    Collections.shuffle(copies, new Random(7));
    produce(copies);
    fleet.healAll();

    assertConverges();
    List<RegionView> after = FleetObserver.observe(clients(), workload.history());
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).tags()).as(after.get(i).region() + " tags").isEqualTo(before.get(i).tags());
      assertThat(after.get(i).manifests()).as(after.get(i).region() + " manifests").isEqualTo(before.get(i).manifests());
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll() {
    var props = new Properties();
    props.put("bootstrap.servers", fleet.brokerBootstrap());
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    props.put("enable.auto.commit", "false");
    var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(EVENTS).stream()
          .map(p -> new TopicPartition(EVENTS, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  private void produce(List<ConsumerRecord<byte[], byte[]>> records) {
    var props = new Properties();
    props.put("bootstrap.servers", fleet.brokerBootstrap());
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("acks", "all");
    try (var producer = new KafkaProducer<byte[], byte[]>(props)) {
      for (var r : records) {
        producer.send(new ProducerRecord<>(EVENTS, r.partition(), r.key(), r.value(), r.headers()));
      }
      producer.flush();
    }
  }
}
