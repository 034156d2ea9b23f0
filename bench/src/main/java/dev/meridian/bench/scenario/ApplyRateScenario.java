package dev.meridian.bench.scenario;

import dev.meridian.bench.BenchContext;
import dev.meridian.bench.Result;
import dev.meridian.bench.Scenario;
import dev.meridian.bench.Stats;
import dev.meridian.bench.Target;
import dev.meridian.bench.harness.BenchCredentials;
import dev.meridian.bench.harness.Fleet;
import dev.meridian.bench.harness.Http;
import dev.meridian.bench.harness.KafkaBroker;
import dev.meridian.bench.harness.MeridianRegion;
import dev.meridian.bench.harness.OciLayout;
import dev.meridian.bench.harness.Pause;
import dev.meridian.bench.harness.SmallImage;
import dev.meridian.bench.harness.Workspace;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.event.EventSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 4: how fast one region applies metadata events whose content it already holds. The region
 * first receives one small image (so every blob and the manifest are local), then stops; the harness
 * writes pre-generated events from another region straight to the real broker (blob.put x2,
 * manifest.put, tag.put per repository, as that region's relay would), restarts the region and times its
 * replay from what the region says it applied ({@code eventsApplied} of {@code GET /admin/v1/region}, polled
 * every few milliseconds): the events applied between the first look that saw replay under way and the first
 * that saw it done, over the time between them. Polling a counter costs the region far less than polling
 * manifests, and the first poll's events (applied before any look could see them) are not counted. The last
 * repository of every partition must then be visible ({@code HEAD} of its tag), as proof that what was counted
 * is servable.
 *
 * <p>Events go to explicit partitions (repository k to partition k mod P), so the harness knows which
 * repository is the last event of each partition.
 */
public final class ApplyRateScenario implements Scenario {
  private static final String TOPIC = "meridian.events";
  private static final int PARTITIONS = 8;
  private static final RegionId ORIGIN = new RegionId("westeurope");

  @Override
  public String name() {
    return "apply";
  }

  @Override
  public List<Result> run(BenchContext context) {
    // 100,000 events: long enough for the restarted region's JIT to warm up, so the rate is replay's steady one.
    int repositories = (int) context.size(25_000, 100);
    var rates = new ArrayList<Double>();
    for (int rep = 0; rep < context.repetitions(); rep++) {
      rates.add(once(context, repositories));
      context.log("apply rep %d: %.0f events/s", rep + 1, rates.get(rep));
    }
    return List.of(Result.alone(name(), "events applied, content present", "events/s", Stats.median(rates),
        Target.atLeast(20_000), context.repetitions()));
  }

  private double once(BenchContext context, int repositories) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("apply");
    try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
      Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), List.of("eastus", ORIGIN.value()), PARTITIONS);
      var image = new SmallImage(400);
      byte[] manifest = image.manifest("apply");
      try (var region = MeridianRegion.member(context.jar(), fleet, "eastus", dir.resolve("eastus"), workspace.logs(), List.of())) {
        image.pushBlobs(region.url(), "seed/app");
        Http.putManifest(region.url(), "seed/app", "v1", OciLayout.MANIFEST, manifest);
      }
      // Replay applies only records signed as the regions sign them, with the fleet key the harness gives every agent.
      EventSigner signer = BenchCredentials.eventSigner();
      createTopic(broker.bootstrap());
      int events = produce(broker.bootstrap(), signer, image, manifest, repositories);
      try (var region = MeridianRegion.member(context.jar(), fleet, "eastus", dir.resolve("eastus"), workspace.logs(), List.of())) {
        double rate = awaitApplied(region.url(), events);
        awaitAll(region.url(), lastRepositories(repositories));
        return rate;
      }
    } finally {
      Workspace.delete(dir);
    }
  }

  /** The events topic with the fleet's partitions, unless the region already made it. */
  private static void createTopic(String bootstrap) {
    var props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      if (!admin.listTopics().names().get().contains(TOPIC)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw new IllegalStateException("cannot create " + TOPIC, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int produce(String bootstrap, EventSigner signer, SmallImage image, byte[] manifest, int repositories) {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    var codec = new EventCodec();
    Digest manifestDigest = Digest.sha256Of(manifest);
    long millis = System.currentTimeMillis();
    int count = 0;
    try (var producer = new KafkaProducer<String, byte[]>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int k = 0; k < repositories; k++) {
        var repository = new RepositoryName(repository(k));
        var hlc = new HlcTimestamp(millis, k % 1000);
        List<ReplicationEvent> events = image.pushEvents(k, ORIGIN, hlc, repository, manifestDigest, manifest.length);
        for (ReplicationEvent event : events) {
          byte[] value = codec.encode(event);
          var record = new ProducerRecord<>(TOPIC, k % PARTITIONS, repository.value(), value);
          record.headers().add(EventSigner.HEADER, signer.sign(repository.value(), value).getBytes(StandardCharsets.UTF_8));
          producer.send(record);
          count++;
        }
      }
      producer.flush();
    }
    return count;
  }

  private static String repository(int k) {
    return "apply/r" + k;
  }


  private static List<String> lastRepositories(int repositories) {
    var names = new ArrayList<String>();
    for (int k = Math.max(0, repositories - PARTITIONS); k < repositories; k++) names.add(repository(k));
    return names;
  }

  private static boolean visible(String registry, String repository) {
    return Http.status("HEAD", registry + "/v2/" + repository + "/manifests/v1") == 200;
  }

  private static final java.util.regex.Pattern EVENTS_APPLIED = java.util.regex.Pattern.compile("\"eventsApplied\"\\s*:\\s*(\\d+)");

  /** Records the restarted region has applied (0 until its admin API answers). */
  private static long applied(String registry) {
    try {
      var m = EVENTS_APPLIED.matcher(Http.get(registry + "/admin/v1/region"));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Events/s between the first look that found replay under way (some applied, not all) and the first that
   * found {@code events} applied. If replay was done at the first look under way, the rate counts from the
   * last look that saw nothing applied, an underestimate.
   */
  private static double awaitApplied(String registry, long events) {
    long deadline = System.nanoTime() + 600_000_000_000L;
    long firstAt = 0;
    long firstCount = 0;
    long idleAt = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      long count = applied(registry);
      if (count >= events) {
        return firstAt == 0 ? events / ((now - idleAt) / 1e9) : (count - firstCount) / ((now - firstAt) / 1e9);
      }
      if (count == 0) {
        idleAt = now;
      } else if (firstAt == 0) {
        firstAt = now;
        firstCount = count;
      }
      Pause.millis(5);
    }
    throw new IllegalStateException("replay at " + registry + " did not apply " + events + " events within 10 minutes");
  }

  private static long awaitAll(String registry, List<String> repositories) {
    var pending = new ArrayList<>(repositories);
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (System.nanoTime() < deadline) {
      pending.removeIf(repository -> visible(registry, repository));
      if (pending.isEmpty()) return System.nanoTime();
      Pause.millis(10);
    }
    throw new IllegalStateException("repositories " + pending + " not visible at " + registry + " within 10 minutes");
  }
}
