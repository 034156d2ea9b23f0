package dev.meridian.chaos;

import dev.meridian.agent.it.support.SeededBytes;
import dev.meridian.chaos.Write.Kind;
import dev.meridian.chaos.fleet.RegionClient;
import dev.meridian.core.digest.Digest;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * Writes to random regions of a fleet with plain HTTP, as a seeded random mix: push a new small image under a
 * tag (which moves the tag if it exists), push a known image again elsewhere, delete a tag, delete a manifest,
 * attach a referrer. Every write that got a 2xx is recorded as acknowledged, with when it was sent and
 * answered; one with no answer (I/O error, 5xx) as of unknown outcome; a 4xx is not recorded (nothing changed).
 *
 * <p>Images are a config and one layer of 0.5-4 KiB derived from a counter, so every image has its own digest
 * and a run is reproducible from its seed (the regions' timing is not). Calls are sequential: one writer.
 */
public final class Workload {
  public static final String IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";

  /** An image the workload pushed somewhere: enough to push it again or point at it. */
  public record Image(String repository, Digest digest, byte[] manifest, byte[] config, byte[] layer) {}

  private final List<RegionClient> regions;
  private final List<String> repositories;
  private final List<String> tags;
  private final Random random;
  private final Clock clock;
  private final List<Write> history = new CopyOnWriteArrayList<>();
  private final List<Image> images = new CopyOnWriteArrayList<>();
  private int counter;

  public Workload(List<RegionClient> regions, long seed, List<String> repositories, List<String> tags) {
    this.regions = List.copyOf(regions);
    this.repositories = List.copyOf(repositories);
    this.tags = List.copyOf(tags);
    this.random = new Random(seed);
    this.clock = Clock.systemUTC();
  }

  /** Every write sent so far. */
  public List<Write> history() {
    return List.copyOf(history);
  }

  public List<Write> acknowledged() {
    return history.stream().filter(w -> w.acked().isPresent()).toList();
  }

  /** One random write at a random region among {@code eligible} (indexes into the regions). */
  public synchronized void step(List<String> eligible) {
    List<RegionClient> candidates = regions.stream().filter(r -> eligible.contains(r.region())).toList();
    RegionClient region = candidates.get(random.nextInt(candidates.size()));
    String repository = repositories.get(random.nextInt(repositories.size()));
    int dice = random.nextInt(100);
    List<Image> known = images.stream().filter(i -> i.repository().equals(repository)).toList();
    try {
      if (dice < 50 || known.isEmpty()) {
        pushImage(region, repository, randomTag(), 512 + random.nextInt(3584));
      } else if (dice < 65) {
        pushAgain(region, known.get(random.nextInt(known.size())), randomTag());
      } else if (dice < 77) {
        deleteTag(region, repository, randomTag());
      } else if (dice < 87) {
        deleteManifest(region, repository, known.get(random.nextInt(known.size())).digest());
      } else {
        attachReferrer(region, known.get(random.nextInt(known.size())));
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      // a blob upload that got no answer: the manifest was never sent, nothing to record
    }
  }

  /** {@code count} random writes at any region. */
  public void run(int count) {
    for (int i = 0; i < count; i++) step(regions.stream().map(RegionClient::region).toList());
  }

  /** Pushes a new image of {@code layerSize} layer bytes under {@code tag}; returns it (recorded either way). */
  public Image pushImage(RegionClient region, String repository, String tag, int layerSize) {
    int n;
    synchronized (this) {
      n = ++counter;
    }
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"workload\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = SeededBytes.of(n, layerSize);
    byte[] manifest = imageManifest(config, layer);
    var image = new Image(repository, Digest.sha256Of(manifest), manifest, config, layer);
    pushAgain(region, image, tag);
    images.add(image);
    return image;
  }

  /** Pushes an image's blobs and manifest to {@code region} under {@code tag}. */
  public void pushAgain(RegionClient region, Image image, String tag) {
    if (region.pushBlob(image.repository(), image.config()) != 201) return;
    if (region.pushBlob(image.repository(), image.layer()) != 201) return;
    record(region, Kind.TAG_PUT, image.repository(), Optional.of(tag), Optional.of(image.digest()),
        () -> region.putManifest(image.repository(), tag, image.manifest(), IMAGE_MANIFEST));
  }

  public void deleteTag(RegionClient region, String repository, String tag) {
    record(region, Kind.TAG_DELETE, repository, Optional.of(tag), Optional.empty(),
        () -> region.deleteManifest(repository, tag));
  }

  public void deleteManifest(RegionClient region, String repository, Digest digest) {
    record(region, Kind.MANIFEST_DELETE, repository, Optional.empty(), Optional.of(digest),
        () -> region.deleteManifest(repository, digest.toString()));
  }

  /** Pushes a small signature-like artifact whose subject is {@code subject}, by digest. */
  public void attachReferrer(RegionClient region, Image subject) {
    int n;
    synchronized (this) {
      n = ++counter;
    }
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] payload = ("signature " + n + " of " + subject.digest()).getBytes(StandardCharsets.UTF_8);
    if (region.pushBlob(subject.repository(), empty) != 201) return;
    if (region.pushBlob(subject.repository(), payload) != 201) return;
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + IMAGE_MANIFEST + "\","
        + "\"artifactType\":\"application/vnd.example.signature\","
        + "\"config\":" + descriptor(EMPTY_CONFIG, empty) + ","
        + "\"layers\":[" + descriptor("application/vnd.example.signature.v1", payload) + "],"
        + "\"subject\":{\"mediaType\":\"" + IMAGE_MANIFEST + "\",\"digest\":\"" + subject.digest()
        + "\",\"size\":" + subject.manifest().length + "}}";
    byte[] manifest = json.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256Of(manifest);
    record(region, Kind.MANIFEST_PUT, subject.repository(), Optional.empty(), Optional.of(digest),
        () -> region.putManifest(subject.repository(), digest.toString(), manifest, IMAGE_MANIFEST));
  }

  private String randomTag() {
    return tags.get(random.nextInt(tags.size()));
  }

  private void record(RegionClient region, Kind kind, String repository, Optional<String> tag, Optional<Digest> digest,
      IntSupplier call) {
    Instant sent = clock.instant();
    Optional<Instant> acked;
    try {
      int status = call.getAsInt();
      if (status >= 400 && status < 500) return;
      acked = status >= 200 && status < 300 ? Optional.of(clock.instant()) : Optional.empty();
    } catch (UncheckedIOException e) {
      acked = Optional.empty();
    }
    history.add(new Write(region.region(), kind, repository, tag, digest, sent, acked));
  }

  /** An OCI image manifest of one config and one layer. */
  public static byte[] imageManifest(byte[] config, byte[] layer) {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + IMAGE_MANIFEST + "\","
        + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", config) + ","
        + "\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar", layer) + "]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String descriptor(String mediaType, byte[] bytes) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256Of(bytes) + "\",\"size\":" + bytes.length + "}";
  }

  /** All regions, by name, for {@link #step}. */
  public List<String> regionNames() {
    var names = new ArrayList<String>();
    regions.forEach(r -> names.add(r.region()));
    return names;
  }
}
