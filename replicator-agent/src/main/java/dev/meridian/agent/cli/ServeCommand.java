package dev.meridian.agent.cli;

import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import picocli.CommandLine;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.agent.lifecycle.GarbageCollector;
import dev.meridian.agent.lifecycle.RetentionPolicy;
import dev.meridian.agent.lifecycle.QuotaPolicy;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.replication.SeedFrom;
import dev.meridian.agent.repair.RepairConfig;
import dev.meridian.agent.security.AdminPassword;
import dev.meridian.agent.security.RepositoryPattern;
import dev.meridian.agent.security.SecuritySettings;
import dev.meridian.core.clock.RegionId;
import dev.meridian.agent.frontdoor.CidrBlock;
import dev.meridian.agent.log.KafkaClientProperties;
import dev.meridian.agent.security.ClientLimits;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.security.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.meridian.agent.notify.NotificationConfig;
import dev.meridian.agent.notify.NotificationType;
import dev.meridian.agent.notify.RetryBackoff;
import java.net.URI;

/**
 * {@code meridian serve}: one region's agent, serving the OCI distribution API until SIGTERM. It prints
 * {@code region ID listening on http://HOST:PORT} on stdout once requests are answered, so a parent
 * process can wait for that line.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Runs one region's registry agent until SIGTERM.")
public final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--region", required = true, description = "Region id, e.g. eastus.")
  String region;

  @Option(names = "--port", description = "HTTP port (0 picks a free one); with --fleet, defaults to the port of this region's URL.")
  Integer port;

  @Option(names = "--fleet", description = "Fleet file (YAML): makes this region a member that replicates with the others.")
  Path fleet;

  @Option(names = "--kafka", description = "Kafka bootstrap servers (HOST:PORT), without a fleet file: the region learns the fleet "
      + "from the replicated topology, and replicates once `meridian replication create --region ID` has added it.")
  String kafka;

  @Option(names = "--data-dir", required = true, description = "Directory for blobs and state.")
  Path dataDir;

  @Option(names = "--bind", defaultValue = AgentConfig.DEFAULT_BIND, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--stall-threshold", defaultValue = "120s", converter = DurationArgument.class,
      description = "Work pending and no progress for this long marks the region degraded (default: ${DEFAULT-VALUE}).")
  java.time.Duration stallThreshold;

  @Option(names = "--seed-from", defaultValue = "auto", paramLabel = "REGION|auto|none",
      description = "With --fleet and an empty data dir: the peer whose register snapshot this region seeds itself from "
          + "before following the log; auto tries every other region in fleet order (default: ${DEFAULT-VALUE}).")
  String seedFrom;

  @Option(names = "--scrub-rate", defaultValue = "16MiB", converter = ByteRateArgument.class,
      description = "How fast the scrubber may re-read stored blobs, per second (default: ${DEFAULT-VALUE}).")
  long scrubRate;

  @Option(names = "--scrub-interval", defaultValue = "24h", converter = DurationArgument.class,
      description = "Pause between two scrub passes over every blob (default: ${DEFAULT-VALUE}).")
  java.time.Duration scrubInterval;

  @Option(names = "--anti-entropy-interval", defaultValue = "5m", converter = DurationArgument.class,
      description = "Pause between two comparisons of this region's registers with every peer's (default: ${DEFAULT-VALUE}).")
  java.time.Duration antiEntropyInterval;

  /** For drills and tests only: a region whose machine's clock is wrong, to rehearse clock skew. */
  @Option(names = "--clock-offset", hidden = true, defaultValue = "0s", converter = SignedDurationArgument.class,
      description = "Diagnostic, for drills and tests: shift this agent's clock (the HLC's physical part, logs and "
          + "metrics alike) by this much, e.g. -5m.")
  java.time.Duration clockOffset;

  @Option(names = "--tls-cert", description = "PEM certificate chain of this region's listener (with --tls-key): serve https.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key (PKCS#8, unencrypted) of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-ca", description = "PEM CA bundle to trust when calling peers over https (default: the JDK's CAs).")
  Path tlsCa;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "Added to every Kafka client (repeatable): TLS and SASL settings, e.g. security.protocol=SASL_SSL.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--rate-limit", paramLabel = "PER_SECOND", defaultValue = "0",
      description = "Requests per second per client address, answered 429 beyond it; 0 = off (default).")
  double rateLimit;

  @Option(names = "--rate-burst", defaultValue = "100", description = "Requests a client may send at once (default: ${DEFAULT-VALUE}).")
  int rateBurst;

  @Option(names = "--max-uploads-per-client", defaultValue = "0",
      description = "Upload requests in progress at once per client address; 0 = unlimited (default).")
  int maxUploads;

  @Option(names = "--limit-exempt", paramLabel = "CIDR",
      description = "Client ranges never limited (repeatable), e.g. the fleet's own regions and front door.")
  List<String> limitExempt = new ArrayList<>();

  @Option(names = "--body-timeout", defaultValue = "60s", converter = DurationArgument.class,
      description = "A request body that stops arriving for this long is cut off (default: ${DEFAULT-VALUE}).")
  Duration bodyTimeout;

  @Option(names = "--idle-timeout", defaultValue = "300s", converter = DurationArgument.class,
      description = "A connection with nothing read or written for this long is closed (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--gc-grace", defaultValue = "1h", converter = DurationArgument.class,
      description = "Blobs stored or linked more recently are never collected (default: ${DEFAULT-VALUE}).")
  java.time.Duration gcGrace;

  @Option(names = "--gc-interval", defaultValue = "1h", converter = DurationArgument.class,
      description = "How often garbage collection runs (default: ${DEFAULT-VALUE}).")
  java.time.Duration gcInterval;

  @Option(names = "--upload-grace", defaultValue = "24h", converter = DurationArgument.class,
      description = "An upload session idle this long is abandoned and deleted (default: ${DEFAULT-VALUE}).")
  java.time.Duration uploadGrace;

  @Option(names = "--retention-untagged", description = "Days (0-365) an untagged manifest is kept; off by default. "
      + "Applied for the whole fleet by its first read-write region only.")
  Integer retentionUntagged;

  @Option(names = "--retention", description = "REPO_REGEX=DAYS: retention of untagged manifests for matching repositories (repeatable; the first match wins).")
  java.util.List<String> retentionRules = new java.util.ArrayList<>();

  @Option(names = "--soft-delete-days", defaultValue = "0",
      description = "Days (0-90) a deleted manifest stays restorable with meridian restore; 0 turns soft delete off (default).")
  int softDeleteDays;

  @Option(names = "--quota", description = "Storage quota of the registry, e.g. 500G: a push beyond it is refused (DENIED).")
  String quota;

  @Option(names = "--namespace-quota", description = "NAMESPACE=SIZE: storage quota of one namespace (repeatable).")
  java.util.List<String> namespaceQuotas = new java.util.ArrayList<>();

  @Option(names = "--repository-quota", description = "REPOSITORY=SIZE: storage quota of each repository matching a name "
      + "or glob (team-a/* one level, team-a/** any depth), bounding uploads and pushes (repeatable; the first match wins).")
  java.util.List<String> repositoryQuotas = new java.util.ArrayList<>();

  @Option(names = "--anonymous-pull", paramLabel = "PATTERN",
      description = "Let anyone pull repositories matching PATTERN without credentials (team-a/* one level, team-a/** any depth, ** all). Repeatable; default: nowhere.")
  java.util.List<String> anonymousPull = new java.util.ArrayList<>();

  /**
   * The settings from the environment and {@code dataDir}; a newly generated admin password is printed once,
   * with where it was saved.
   */
  static SecuritySettings security(CommandLine.Model.CommandSpec spec, Path dataDir, java.util.List<String> anonymousPull) {
    java.util.List<RepositoryPattern> patterns = new java.util.ArrayList<>();
    try {
      for (String pattern : anonymousPull) patterns.add(new RepositoryPattern(pattern));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--anonymous-pull: " + e.getMessage());
    }
    SecuritySettings settings = SecuritySettings.resolve(dataDir, System.getenv()).withAnonymousPull(patterns);
    if (settings.adminPassword().generated()) {
      System.out.println("admin password " + settings.adminPassword().value() + " (saved in "
          + dataDir.resolve(AdminPassword.FILE_NAME) + "; MERIDIAN_ADMIN_PASSWORD sets it instead)");
    }
    return settings;
  }

  @Option(names = "--webhook", paramLabel = "URL",
      description = "POST a signed notification of each push, delete, replication and quarantine in this region to URL.")
  String webhook;

  @Option(names = "--webhook-secret-file", paramLabel = "FILE",
      description = "The webhook's HMAC secret (at least 16 bytes; default: DIR/webhook-secret, created when missing).")
  Path webhookSecretFile;

  @Option(names = "--webhook-events", paramLabel = "TYPE,TYPE", defaultValue = "push,delete,replicated,quarantined",
      description = "Which events the webhook gets (default: ${DEFAULT-VALUE}).")
  String webhookEvents;

  @Option(names = "--kafka-notifications", paramLabel = "true|false", defaultValue = "true", arity = "1",
      description = "A fleet member also writes every notification to the topic meridian.notifications (default: ${DEFAULT-VALUE}).")
  boolean kafkaNotifications;

  @Option(names = "--transfer-direct-writes", paramLabel = "true|false", defaultValue = "true", arity = "1",
      description = "Write blobs copied from peers past the page cache (O_DIRECT) where the file system can (default: ${DEFAULT-VALUE}).")
  boolean transferDirectWrites;

  @Option(names = "--webhook-max-backoff", hidden = true, defaultValue = "5m", converter = DurationArgument.class,
      description = "Longest wait between two attempts of a failing delivery (for tests).")
  java.time.Duration webhookMaxBackoff;

  @Override
  public Integer call() throws InterruptedException {
    RegionId id = new RegionId(region);
    AgentConfig config;
    if (fleet != null && kafka != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--kafka and --fleet exclude each other (the fleet file names the Kafka)");
    }
    if (fleet == null) {
      if (port == null) throw new CommandLine.ParameterException(spec.commandLine(), "--port is required without --fleet");
      config = kafka == null ? new AgentConfig(id, bind, port, dataDir) : AgentConfig.joining(id, bind, port, dataDir, kafka);
    } else {
      Topology topology = TopologyLoader.load(fleet);
      Region self = topology.region(id).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
          "region " + id + " is not in the fleet file " + fleet));
      config = AgentConfig.member(id, bind, port == null ? self.url().getPort() : port, dataDir, topology);
    }
    if (stallThreshold.isZero()) throw new CommandLine.ParameterException(spec.commandLine(), "--stall-threshold must be positive");
    config = config.withAdmin(config.admin().withStallThreshold(stallThreshold)).withSecurity(security());
    config = config.withTransfers(transfers(config.transfers()));
    config = config.withSecurity(security(spec, dataDir, anonymousPull));
    try {
      config = config.withSeed(SeedFrom.parse(seedFrom));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--seed-from " + seedFrom + ": " + e.getMessage());
    }
    if (scrubInterval.isZero() || antiEntropyInterval.isZero()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--scrub-interval and --anti-entropy-interval must be positive");
    }
    config = config.withRepair(new RepairConfig(scrubRate, scrubInterval, antiEntropyInterval));
    if (gcInterval.isZero()) throw new CommandLine.ParameterException(spec.commandLine(), "--gc-interval must be positive");
    RetentionPolicy retention;
    try {
      retention = new RetentionPolicy(java.util.Optional.ofNullable(retentionUntagged),
          retentionRules.stream().map(RetentionPolicy.Rule::parse).toList());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    config = config.withLifecycle(config.lifecycle()
        .withGc(new GarbageCollector.Settings(gcGrace, uploadGrace, gcInterval)).withRetention(retention));
    if (softDeleteDays < 0 || softDeleteDays > 90) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--soft-delete-days must be 0 to 90");
    }
    config = config.withLifecycle(config.lifecycle().withSoftDelete(java.time.Duration.ofDays(softDeleteDays)));
    try {
      java.util.Map<String, Long> namespaces = new java.util.HashMap<>();
      namespaceQuotas.stream().map(QuotaPolicy::parseNamespace).forEach(e -> namespaces.put(e.getKey(), e.getValue()));
      config = config.withLifecycle(config.lifecycle().withQuota(
          new QuotaPolicy(java.util.Optional.ofNullable(quota).map(QuotaPolicy::parseSize), namespaces,
              repositoryQuotas.stream().map(QuotaPolicy::parseRepository).toList())));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    config = config.withLifecycle(config.lifecycle().withNotifications(notifications()));
    java.time.Clock clock = clockOffset.isZero() ? java.time.Clock.systemUTC() : java.time.Clock.offset(java.time.Clock.systemUTC(), clockOffset);
    if (!clockOffset.isZero()) System.err.println("meridian serve: clock offset " + clockOffset.toMillis() + " ms (diagnostic: for drills and tests)");
    RegionAgent agent = RegionAgent.start(config, clock);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close(); // SIGTERM: stop serving, then close the state cleanly
      stopped.countDown();
    }, "meridian-serve-shutdown"));
    System.out.println("region " + config.region() + " listening on " + agent.url());
    if (kafka != null && agent.replication().map(r -> r.membership() == dev.meridian.agent.replication.RegionMembership.WAITING).orElse(false)) {
      System.out.println("region " + config.region() + " is not in the fleet yet: it replicates once "
          + "`meridian replication create --region " + config.region() + " --url " + agent.url() + " --registry URL` has added it");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** {@code base} with the transfer options given. */
  TransferConfig transfers(TransferConfig base) {
    return base.withDirectWrites(transferDirectWrites);
  }

  /** The webhook and the notifications topic of the options; a bad one is a usage error naming it. */
  NotificationConfig notifications() {
    try {
      NotificationConfig settings = NotificationConfig.defaults().withKafka(kafkaNotifications);
      settings = settings.withBackoff(new RetryBackoff(java.time.Duration.ofMillis(Math.min(1000, webhookMaxBackoff.toMillis())),
          webhookMaxBackoff));
      if (webhook == null) {
        if (webhookSecretFile != null) throw new IllegalArgumentException("--webhook-secret-file needs --webhook");
        return settings;
      }
      java.util.Set<NotificationType> events = java.util.EnumSet.noneOf(NotificationType.class);
      for (String name : webhookEvents.split(",")) {
        if (!name.isBlank()) events.add(NotificationType.parse(name.trim()));
      }
      URI url;
      try {
        url = new URI(webhook);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("--webhook " + webhook + ": " + e.getMessage());
      }
      return settings.withWebhook(new NotificationConfig.Webhook(url, java.util.Optional.ofNullable(webhookSecretFile), events));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The transport and abuse settings of the options; a bad one is a usage error naming it. */
  SecurityConfig security() {
    try {
      SecurityConfig security = SecurityConfig.defaults();
      if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      if (tlsCert != null) security = security.withTls(new TlsFiles(tlsCert, tlsKey));
      if (tlsCa != null) security = security.withTrustedCa(tlsCa);
      security = security.withKafkaProperties(KafkaClientProperties.validate(kafkaProperties));
      List<CidrBlock> exempt = limitExempt.stream().map(CidrBlock::parse).toList();
      ClientLimits limits = ClientLimits.defaults().withRate(rateLimit, rateBurst).withMaxConcurrentUploads(maxUploads)
          .withTimeouts(bodyTimeout, idleTimeout).withExempt(exempt);
      return security.withLimits(limits);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
