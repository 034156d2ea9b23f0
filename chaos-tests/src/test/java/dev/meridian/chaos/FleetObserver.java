package dev.meridian.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.chaos.RegionView.ManifestKey;
import dev.meridian.chaos.RegionView.TagKey;
import dev.meridian.chaos.fleet.RegionClient;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what each region serves, through the OCI API only, into {@link RegionView}s: the tags of every
 * repository the workload wrote, a HEAD of every manifest digest it wrote, the referrers of each served
 * manifest, and a full GET-and-hash of each served manifest's config and layers.
 *
 * <p>A tag that is listed but whose HEAD answers 404 (it points at a manifest deleted elsewhere) is left out
 * of the view: every region must agree on that too, since each region's HEAD is compared.
 */
public final class FleetObserver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FleetObserver() {}

  public static List<RegionView> observe(List<RegionClient> regions, List<Write> history) {
    return regions.stream().map(r -> observe(r, history)).toList();
  }

  public static RegionView observe(RegionClient region, List<Write> history) {
    var repositories = new TreeSet<String>();
    var written = new HashSet<ManifestKey>();
    for (Write w : history) {
      repositories.add(w.repository());
      w.digest().ifPresent(d -> written.add(new ManifestKey(w.repository(), d)));
    }
    var tags = new HashMap<TagKey, Digest>();
    for (String repository : repositories) {
      for (String tag : region.tags(repository)) {
        region.headManifest(repository, tag).ifPresent(d -> tags.put(new TagKey(repository, tag), d));
      }
    }
    Set<ManifestKey> manifests = new HashSet<>();
    Map<ManifestKey, List<Digest>> referrers = new HashMap<>();
    List<String> incomplete = new ArrayList<>();
    for (ManifestKey key : written) {
      if (region.headManifest(key.repository(), key.digest().toString()).isEmpty()) continue;
      manifests.add(key);
      referrers.put(key, region.referrers(key.repository(), key.digest()));
      verifyContent(region, key, incomplete);
    }
    tags.forEach((tag, digest) -> {
      var key = new ManifestKey(tag.repository(), digest);
      if (!written.contains(key)) verifyContent(region, key, incomplete);
    });
    return new RegionView(region.region(), tags, manifests, referrers, incomplete);
  }

  /** The manifest's bytes hash to its digest, and so does every blob it references. */
  private static void verifyContent(RegionClient region, ManifestKey key, List<String> incomplete) {
    Optional<byte[]> bytes = region.getManifest(key.repository(), key.digest().toString());
    if (bytes.isEmpty()) {
      incomplete.add(key + ": HEAD answers but GET is 404");
      return;
    }
    if (!Digest.sha256Of(bytes.get()).equals(key.digest())) {
      incomplete.add(key + ": manifest bytes hash to " + Digest.sha256Of(bytes.get()));
      return;
    }
    JsonNode manifest;
    try {
      manifest = JSON.readTree(bytes.get());
    } catch (IOException e) {
      incomplete.add(key + ": manifest is not JSON");
      return;
    }
    var references = new ArrayList<JsonNode>();
    if (manifest.has("config")) references.add(manifest.get("config"));
    manifest.path("layers").forEach(references::add);
    for (JsonNode descriptor : references) {
      Digest blob = Digest.parse(descriptor.path("digest").asText());
      Optional<byte[]> content = region.getBlob(key.repository(), blob);
      if (content.isEmpty()) {
        incomplete.add(key + ": blob " + blob + " is missing");
      } else if (!Digest.sha256Of(content.get()).equals(blob)) {
        incomplete.add(key + ": blob " + blob + " hashes to " + Digest.sha256Of(content.get()));
      }
    }
  }
}
