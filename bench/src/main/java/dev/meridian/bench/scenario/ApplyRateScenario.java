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
import dev.meridian.bench.harness.ProcessCpu;
import dev.meridian.bench.harness.PrometheusText;
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
 * replay from what the region says it applied ({@code meridian_events_applied_total} of {@code /metrics}, looked
 * at every {@value #LOOK_EVERY_MS} ms): the events applied between the first look that saw replay under way and the
 * first that saw it done, over the time between them. Polling a counter costs the region far less than polling
 * manifests, and the first poll's events (applied before any look could see them) are not counted. The last
 * repository of every partition must then be visible ({@code HEAD} of its tag), as proof that what was counted
 * is servable.
 *
 * <p>Then the same again with the region running: replication to it is disabled, as many new events are written, and
 * it is re-enabled, the last of several such rounds timed (see {@link #once}). Two rows, as scenario 2 has: a region
 * back from a restart, whose JVM compiles the replay path as it replays, and a running region; and beside each, the
 * region's CPU per 1,000 events.
 *
 * <p>Events go to explicit partitions (repository k to partition k mod P), so the harness knows which
 * repository is the last event of each partition.
 */
public final class ApplyRateScenario implements Scenario {
  private static final String TOPIC = "meridian.events";
  private static final int PARTITIONS = 8;
  private static final RegionId ORIGIN = new RegionId("westeurope");
  private static final int LOOK_EVERY_MS = 100;
  /** Untimed replays of a running region before its timed one, at least (none in a quick run; see {@link #once}). */
  private static final int WARM_UP_ROUNDS = 3;
  /** At most this many untimed replays: the timed one follows, the region's compilers settled or not (logged). */
  private static final int WARM_UP_ROUNDS_MAX = 16;

  @Override
  public String name() {
    return "apply";
  }

  @Override
  public List<Result> run(BenchContext context) {
    int repositories = (int) context.size(25_000, 100);
    var restarted = new ArrayList<Replay>();
    var running = new ArrayList<Replay>();
    for (int rep = 0; rep < context.repetitions(); rep++) {
      Replay[] replays = once(context, repositories);
      restarted.add(replays[0]);
      running.add(replays[1]);
      context.log("apply rep %d: %.0f events/s (region restarted), %.0f events/s (running region re-enabled);"
          + " region CPU per 1,000 events %.0f ms, %.0f ms; its compilers busy %.0f%%, %.0f%% of the window",
          rep + 1, replays[0].eventsPerSecond(), replays[1].eventsPerSecond(), replays[0].cpuMillisPerThousand(),
          replays[1].cpuMillisPerThousand(), 100 * replays[0].jitShare(), 100 * replays[1].jitShare());
    }
    int reps = context.repetitions();
    return List.of(
        Result.alone(name(), "events applied, region restarted", "events/s",
            Stats.median(restarted.stream().map(Replay::eventsPerSecond).toList()), Target.atLeast(20_000), reps),
        Result.alone(name(), "events applied, running region re-enabled", "events/s",
            Stats.median(running.stream().map(Replay::eventsPerSecond).toList()), Target.atLeast(20_000), reps),
        Result.alone(name(), "region CPU per 1,000 events, region restarted", "CPU-ms",
            Stats.median(restarted.stream().map(Replay::cpuMillisPerThousand).toList()), Target.NONE, reps),
        Result.alone(name(), "region CPU per 1,000 events, running region re-enabled", "CPU-ms",
            Stats.median(running.stream().map(Replay::cpuMillisPerThousand).toList()), Target.NONE, reps));
  }

  /**
   * One timed replay: its rate, and the CPU the region's process spent per 1,000 events over the same window (all its
   * threads: replay, the log's consumer, the compilers, the collector), which a noisy machine moves far less than the
   * rate: on two shared cores the rate is bound by what the other processes leave, the CPU per event is not. And the
   * share of the window its JIT compilers were busy (elapsed time, logged): a restarted region's replay is compiled
   * as it runs.
   */
  record Replay(double eventsPerSecond, double cpuMillisPerThousand, double jitShare) {}

  /**
   * The two rates of one repetition: {@code [restarted, running]}. The restarted region replays on a fresh JVM,
   * interpreting and compiling the replay path as it goes (in a profile of that window its C2 compiler took a
   * quarter of the machine and the replay thread ran interpreted frames 42% of its time). Then, in the same process,
   * replication to it is disabled ({@code PATCH /admin/v1/replications/eastus {"enabled":false}}, which stops its
   * subscriber), as many new events are written, and it is re-enabled: at least {@value #WARM_UP_ROUNDS} times untimed,
   * and on while its compilers are still busy (at most {@value #WARM_UP_ROUNDS_MAX} times), then once timed: the rate
   * of a running region's replay, as an operator's maintenance window or a drill leaves it.
   */
  private Replay[] once(BenchContext context, int repositories) {
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
      int events = produce(broker.bootstrap(), signer, image, manifest, 0, repositories);
      try (var region = MeridianRegion.member(context.jar(), fleet, "eastus", dir.resolve("eastus"), workspace.logs(), List.of())) {
        Replay restarted = awaitApplied(region, 0, events);
        awaitAll(region.url(), lastRepositories(0, repositories));

        // A running region has compiled its replay path long ago; twenty seconds after its start this one has not:
        // its C2 compiler was still behind after the first replay (hundreds of methods compiled at level 2, the
        // fallback when C2's queue is long, and the decoder's own loops first compiled at level 4 during the next).
        // So it replays untimed rounds of the same size before the timed one: WARM_UP_ROUNDS, then more while its
        // compilers were busy for as much of a round as the lag scenario's rule allows. On a slow day the compilers
        // were still busy 103% of the third round and the rate climbed with each round until they settled (15,770,
        // 18,423, 19,159, 20,142, 21,251, then 23,699-29,243 events/s from the sixth round on, compilers 54% to 3%).
        int minimum = (int) context.size(WARM_UP_ROUNDS, 0);
        int maximum = (int) context.size(WARM_UP_ROUNDS_MAX, 0);
        int from = repositories;
        Replay warm = null;
        int round = 0;
        for (; round < maximum && (round < minimum || warm.jitShare() >= LagScenario.SETTLED_JIT_SHARE);
            round++, from += repositories) {
          warm = disableProduceEnable(region, broker.bootstrap(), signer, image, manifest, from, repositories);
          context.log("apply warm-up round %d (not counted): %.0f events/s, region CPU per 1,000 events %.0f ms,"
              + " its compilers busy %.0f%% of the window", round + 1, warm.eventsPerSecond(),
              warm.cpuMillisPerThousand(), 100 * warm.jitShare());
        }
        if (warm != null && warm.jitShare() >= LagScenario.SETTLED_JIT_SHARE) {
          context.log("apply: the region's compilers were still busy after %d warm-up rounds; timing anyway", round);
        }
        Replay running = disableProduceEnable(region, broker.bootstrap(), signer, image, manifest, from, repositories);
        return new Replay[] {restarted, running};
      }
    } finally {
      Workspace.delete(dir);
    }
  }

  /**
   * Disables replication to the region (which stops its subscriber), writes the events of {@code repositories} more
   * repositories from {@code from} on, re-enables it and times its replay of them.
   */
  private static Replay disableProduceEnable(MeridianRegion region, String bootstrap, EventSigner signer,
      SmallImage image, byte[] manifest, int from, int repositories) {
    ReplicationScenario.setReplication(region, region, false);
    long before = look(region.url()).applied();
    int events = produce(bootstrap, signer, image, manifest, from, repositories);
    ReplicationScenario.setReplication(region, region, true);
    Replay replay = awaitApplied(region, before, events);
    awaitAll(region.url(), lastRepositories(from, repositories));
    return replay;
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

  /** Writes the events of repositories {@code from} to {@code from + repositories - 1}; returns how many. */
  private static int produce(String bootstrap, EventSigner signer, SmallImage image, byte[] manifest, int from,
      int repositories) {
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
      for (int k = from; k < from + repositories; k++) {
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


  /** The repositories written last to each partition, of those from {@code from} on. */
  private static List<String> lastRepositories(int from, int repositories) {
    var names = new ArrayList<String>();
    int end = from + repositories;
    for (int k = Math.max(from, end - PARTITIONS); k < end; k++) names.add(repository(k));
    return names;
  }

  private static boolean visible(String registry, String repository) {
    return Http.status("HEAD", registry + "/v2/" + repository + "/manifests/v1") == 200;
  }

  private static final java.util.regex.Pattern EVENTS_APPLIED =
      java.util.regex.Pattern.compile("(?m)^meridian_events_applied_total\\{[^}]*} ([0-9.eE+]+)$");

  /**
   * Events from other regions the region has applied since it started, summed over their types:
   * {@code meridian_events_applied_total} of {@code /metrics}, a live counter of the events whose replay wrote
   * something. Not {@code eventsApplied} of {@code /admin/v1/region}: that comes from a status sample taken once a
   * second (a second late at the end of a 4-5 s replay), and it counts every record read, the region's own
   * {@code replica.ack}s coming back from the log among them. From the same page, the JIT's time so far (0 and 0 until
   * the region answers).
   */
  private static Look look(String registry) {
    try {
      String metrics = Http.get(registry + "/metrics");
      var m = EVENTS_APPLIED.matcher(metrics);
      double sum = 0;
      while (m.find()) sum += Double.parseDouble(m.group(1));
      return new Look((long) sum, PrometheusText.compilationMillis(metrics));
    } catch (RuntimeException e) {
      return new Look(0, 0);
    }
  }

  /** One look at {@code /metrics}: the events applied, and the JIT's time so far (ms), to tell a window compiling. */
  private record Look(long applied, long compilationMillis) {}

  /**
   * Events/s between the first look that found replay under way (more than {@code base} applied, not all) and the
   * first that found {@code base + events} applied, looking every {@value #LOOK_EVERY_MS} ms: a scrape of
   * {@code /metrics} costs the region ~6 ms of CPU (200 scrapes of an idle agent: 1.14 CPU-s), so looking more often
   * would slow what it measures, and the end of a 4-6 s replay seen up to 100 ms late underestimates the rate by at
   * most ~2.5%. If replay was done at the first look under way, the rate counts from the last look that saw nothing
   * applied, an underestimate. The region's CPU time is read right after each look, over the same window.
   */
  private static Replay awaitApplied(MeridianRegion region, long base, long events) {
    String registry = region.url();
    long deadline = System.nanoTime() + 600_000_000_000L;
    long firstAt = 0;
    long firstCount = 0;
    double firstCpu = 0;
    long firstCompiled = 0;
    long idleAt = System.nanoTime();
    double idleCpu = ProcessCpu.seconds(region.pid());
    long idleCompiled = look(registry).compilationMillis();
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      Look look = look(registry);
      long count = look.applied() - base;
      double cpu = ProcessCpu.seconds(region.pid());
      if (count >= events) {
        return firstAt == 0
            ? new Replay(events / ((now - idleAt) / 1e9), (cpu - idleCpu) * 1e6 / events,
                (look.compilationMillis() - idleCompiled) / ((now - idleAt) / 1e6))
            : new Replay((count - firstCount) / ((now - firstAt) / 1e9), (cpu - firstCpu) * 1e6 / (count - firstCount),
                (look.compilationMillis() - firstCompiled) / ((now - firstAt) / 1e6));
      }
      if (count <= 0) {
        idleAt = now;
        idleCpu = cpu;
        if (look.compilationMillis() > 0) idleCompiled = look.compilationMillis(); // 0: the region not answering yet
      } else if (firstAt == 0) {
        firstAt = now;
        firstCount = count;
        firstCpu = cpu;
        firstCompiled = look.compilationMillis();
      }
      Pause.millis(LOOK_EVERY_MS);
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
