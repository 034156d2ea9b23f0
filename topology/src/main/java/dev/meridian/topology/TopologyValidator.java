package dev.meridian.topology;

import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a fleet description field by field and collects every violation before failing. */
final class TopologyValidator {
  private static final Pattern BOOTSTRAP = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5})*");
  private static final Set<String> KNOWN_FIELDS = Set.of("kafka", "topics", "regions", "costs");

  /** A region's repository filter as written; a null list was not given. */
  record RawFilter(List<String> include, List<String> exclude, List<String> fields) {}

  /** {@code repositories} null when not given. */
  record RawRegion(String id, String url, String routingEnabled, String mode, RawFilter repositories) {}

  record RawCost(String from, String to, String cost, List<String> fields) {}

  /**
   * @param costs null entries were not mappings (already in {@code problems})
   * @param problems shapes the loader could not read, reported with the rest
   */
  record RawTopology(String kafka, String partitions, String replicationFactor, List<RawRegion> regions, List<String> fields,
      List<RawCost> costs, List<String> problems) {}

  private TopologyValidator() {}

  static Topology validate(RawTopology raw) {
    List<String> violations = new ArrayList<>(raw.problems());
    for (String f : raw.fields()) {
      if (!KNOWN_FIELDS.contains(f)) violations.add("unknown field '" + f + "' (known: kafka, topics, regions, costs)");
    }
    if (raw.kafka() == null || raw.kafka().isBlank()) {
      violations.add("kafka: missing (bootstrap servers, e.g. 127.0.0.1:9092)");
    } else if (!BOOTSTRAP.matcher(raw.kafka()).matches()) {
      violations.add("kafka: '" + raw.kafka() + "' is not host:port[,host:port...]");
    }
    int partitions = positiveInt(raw.partitions(), "topics.partitions", Topology.DEFAULT_PARTITIONS, 10_000, violations);
    int rf = positiveInt(raw.replicationFactor(), "topics.replicationFactor", Topology.DEFAULT_REPLICATION_FACTOR, Short.MAX_VALUE, violations);

    List<Region> regions = new ArrayList<>();
    if (raw.regions() == null) {
      violations.add("regions: missing (a list of {id, url})");
    } else if (raw.regions().isEmpty()) {
      violations.add("regions: empty (a fleet needs at least one region)");
    }
    Set<String> ids = new HashSet<>();
    Set<String> urls = new HashSet<>();
    List<RawRegion> rawRegions = raw.regions() == null ? List.of() : raw.regions();
    for (int i = 0; i < rawRegions.size(); i++) {
      RawRegion r = rawRegions.get(i);
      String where = where(i, r.id());
      RegionId id = null;
      if (r.id() == null) {
        violations.add(where + ": id missing");
      } else {
        try {
          id = new RegionId(r.id());
          if (!ids.add(r.id())) violations.add(where + ": duplicate region id '" + r.id() + "'");
        } catch (IllegalArgumentException e) {
          violations.add(where + ": " + e.getMessage());
        }
      }
      URI url = parseUrl(r.url(), where, violations);
      if (url != null && !urls.add(url.toString())) violations.add(where + ": url " + url + " is used by another region");
      boolean routing = true;
      if (r.routingEnabled() != null) {
        if (r.routingEnabled().equals("true") || r.routingEnabled().equals("false")) {
          routing = Boolean.parseBoolean(r.routingEnabled());
        } else {
          violations.add(where + ": routingEnabled must be true or false, not '" + r.routingEnabled() + "'");
        }
      }
      RegionMode mode = RegionMode.READ_WRITE;
      if (r.mode() != null) {
        var parsed = RegionMode.parse(r.mode());
        if (parsed.isEmpty()) violations.add(where + ": mode must be read-write or read-only, not '" + r.mode() + "'");
        else mode = parsed.get();
      }
      RepositoryFilter filter = FilterRules.filter(r.repositories(), where + ": repositories", violations);
      if (id != null && url != null) regions.add(new Region(id, url, routing, mode, filter));
    }
    List<TransferCost> costs = CostRules.costs(raw.costs(), ids, violations);
    if (!violations.isEmpty()) throw new TopologyException(violations);
    return new Topology(raw.kafka(), partitions, (short) rf, regions, costs);
  }

  /** How a region is named in a violation: its position, and its id when it has one. */
  static String where(int index, String id) {
    return "regions[" + index + "]" + (id == null ? "" : " (" + id + ")");
  }

  static URI parseUrl(String text, String where, List<String> violations) {
    if (text == null) {
      violations.add(where + ": url missing");
      return null;
    }
    try {
      URI uri = new URI(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        violations.add(where + ": url '" + text + "' must be http:// or https://");
        return null;
      }
      if (uri.getHost() == null || uri.getPort() < 0) {
        violations.add(where + ": url '" + text + "' needs a host and a port");
        return null;
      }
      if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
        violations.add(where + ": url '" + text + "' must not have a path");
        return null;
      }
      return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    } catch (URISyntaxException e) {
      violations.add(where + ": url '" + text + "' is not a URL");
      return null;
    }
  }

  private static int positiveInt(String text, String field, int fallback, int max, List<String> violations) {
    if (text == null) return fallback;
    try {
      int v = Integer.parseInt(text);
      if (v < 1 || v > max) {
        violations.add(field + ": " + v + " is out of range 1.." + max);
        return fallback;
      }
      return v;
    } catch (NumberFormatException e) {
      violations.add(field + ": '" + text + "' is not a whole number");
      return fallback;
    }
  }
}
