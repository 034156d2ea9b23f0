package dev.meridian.agent.http;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a request target to a {@link RouteMatch}. Pure: no Netty, no I/O.
 *
 * <p>Repository names contain slashes ({@code /v2/a/b/c/manifests/v1}), so a path is matched from its end:
 * the last one to three segments select the route and everything between {@code /v2/} and them is the
 * name. Each segment is percent-decoded on its own, so {@code %2F} inside a segment stays inside it (and
 * then fails name validation) instead of creating a new segment.
 */
public final class Router {
  private static final Map<Route, Set<String>> METHODS = new EnumMap<>(Route.class);
  private static final String ANTI_ENTROPY_REPOSITORY = "/admin/v1/antientropy/repository/";

  static {
    METHODS.put(Route.BASE, Set.of("GET", "HEAD"));
    METHODS.put(Route.CATALOG, Set.of("GET"));
    METHODS.put(Route.TAGS_LIST, Set.of("GET"));
    METHODS.put(Route.MANIFEST, Set.of("GET", "HEAD", "PUT", "DELETE"));
    METHODS.put(Route.BLOB, Set.of("GET", "HEAD", "DELETE"));
    METHODS.put(Route.UPLOAD_START, Set.of("POST"));
    METHODS.put(Route.UPLOAD, Set.of("GET", "PATCH", "PUT", "DELETE"));
    METHODS.put(Route.REFERRERS, Set.of("GET"));
    METHODS.put(Route.HEALTHZ, Set.of("GET", "HEAD"));
    METHODS.put(Route.READYZ, Set.of("GET", "HEAD"));
    for (Route admin : List.of(Route.ADMIN_REGION, Route.ADMIN_REGIONS, Route.ADMIN_MANIFEST_STATUS,
        Route.ADMIN_REPLICATION_STATUS, Route.ADMIN_SNAPSHOT, Route.METRICS)) {
      METHODS.put(admin, Set.of("GET"));
    }
    METHODS.put(Route.ADMIN_REPLICATIONS, Set.of("GET"));
    METHODS.put(Route.ADMIN_REPLICATION, Set.of("GET", "PUT", "PATCH", "DELETE"));
    METHODS.put(Route.ADMIN_COSTS, Set.of("GET", "PUT", "DELETE"));
    METHODS.put(Route.ADMIN_SCRUB, Set.of("POST"));
    METHODS.put(Route.ADMIN_ANTI_ENTROPY, Set.of("POST"));
    METHODS.put(Route.ADMIN_ANTI_ENTROPY_SUMMARY, Set.of("GET"));
    METHODS.put(Route.ADMIN_ANTI_ENTROPY_REPOSITORY, Set.of("GET"));
    METHODS.put(Route.ADMIN_ISOLATION, Set.of("GET", "POST"));
    METHODS.put(Route.ADMIN_GC, Set.of("POST"));
    METHODS.put(Route.ADMIN_NOTIFICATIONS, Set.of("GET"));
    METHODS.put(Route.ADMIN_LOCK, Set.of("GET", "POST"));
    METHODS.put(Route.ADMIN_PURGE, Set.of("POST"));
    METHODS.put(Route.ADMIN_RESTORE, Set.of("POST"));
    METHODS.put(Route.ADMIN_DELETED, Set.of("GET"));
    METHODS.put(Route.ADMIN_RETENTION, Set.of("POST"));
    METHODS.put(Route.TOKEN, Set.of("GET", "POST"));
    METHODS.put(Route.ADMIN_TOKENS, Set.of("GET", "POST"));
    METHODS.put(Route.ADMIN_TOKEN, Set.of("GET", "DELETE"));
  }

  /** The methods a route answers. */
  public static Set<String> methods(Route route) {
    return METHODS.get(route);
  }

  /**
   * Matches a request target ({@code /path?query}). Empty when no route has this shape. Throws
   * {@code NAME_INVALID} (400) for malformed percent-escapes in the path, 400 for a malformed query.
   */
  public Optional<RouteMatch> match(String target) {
    int q = target.indexOf('?');
    String rawPath = q >= 0 ? target.substring(0, q) : target;
    Map<String, List<String>> query = q >= 0 ? parseQuery(target.substring(q + 1)) : Map.of();
    return matchPath(rawPath).map(m -> new RouteMatch(m.route(), m.name(), m.parameter(), query));
  }

  private Optional<RouteMatch> matchPath(String rawPath) {
    switch (rawPath) {
      case "/v2", "/v2/":
        return Optional.of(simple(Route.BASE));
      case "/v2/_catalog":
        return Optional.of(simple(Route.CATALOG));
      case "/healthz":
        return Optional.of(simple(Route.HEALTHZ));
      case "/readyz":
        return Optional.of(simple(Route.READYZ));
      case "/metrics":
        return Optional.of(simple(Route.METRICS));
      case "/admin/v1/region":
        return Optional.of(simple(Route.ADMIN_REGION));
      case "/admin/v1/regions":
        return Optional.of(simple(Route.ADMIN_REGIONS));
      case "/admin/v1/region/manifest-status":
        return Optional.of(simple(Route.ADMIN_MANIFEST_STATUS));
      case "/admin/v1/replication/status":
        return Optional.of(simple(Route.ADMIN_REPLICATION_STATUS));
      case "/admin/v1/snapshot":
        return Optional.of(simple(Route.ADMIN_SNAPSHOT));
      case "/admin/v1/replications", "/admin/v1/replications/":
        return Optional.of(simple(Route.ADMIN_REPLICATIONS));
      case "/admin/v1/costs":
        return Optional.of(simple(Route.ADMIN_COSTS));
      case "/admin/v1/scrub":
        return Optional.of(simple(Route.ADMIN_SCRUB));
      case "/admin/v1/antientropy":
        return Optional.of(simple(Route.ADMIN_ANTI_ENTROPY));
      case "/admin/v1/antientropy/summary":
        return Optional.of(simple(Route.ADMIN_ANTI_ENTROPY_SUMMARY));
      case "/admin/v1/region/isolation":
        return Optional.of(simple(Route.ADMIN_ISOLATION));
      case "/admin/v1/gc":
        return Optional.of(simple(Route.ADMIN_GC));
      case "/admin/v1/notifications":
        return Optional.of(simple(Route.ADMIN_NOTIFICATIONS));
      case "/admin/v1/lock":
        return Optional.of(simple(Route.ADMIN_LOCK));
      case "/admin/v1/purge":
        return Optional.of(simple(Route.ADMIN_PURGE));
      case "/admin/v1/restore":
        return Optional.of(simple(Route.ADMIN_RESTORE));
      case "/admin/v1/deleted":
        return Optional.of(simple(Route.ADMIN_DELETED));
      case "/admin/v1/retention":
        return Optional.of(simple(Route.ADMIN_RETENTION));
      case "/auth/token":
        return Optional.of(simple(Route.TOKEN));
      case "/admin/v1/tokens", "/admin/v1/tokens/":
        return Optional.of(simple(Route.ADMIN_TOKENS));
      default:
        if (rawPath.startsWith("/admin/v1/tokens/") && rawPath.indexOf('/', "/admin/v1/tokens/".length()) < 0) {
          String name = decodePath(rawPath.substring("/admin/v1/tokens/".length()));
          return Optional.of(new RouteMatch(Route.ADMIN_TOKEN, Optional.empty(), Optional.of(name), Map.of()));
        }
        break;
    }
    if (rawPath.startsWith("/admin/v1/replications/") && rawPath.indexOf('/', "/admin/v1/replications/".length()) < 0) {
      String region = decodePath(rawPath.substring("/admin/v1/replications/".length()));
      return Optional.of(new RouteMatch(Route.ADMIN_REPLICATION, Optional.empty(), Optional.of(region), Map.of()));
    }
    if (rawPath.startsWith(ANTI_ENTROPY_REPOSITORY)) {
      List<String> segments = new ArrayList<>();
      for (String raw : rawPath.substring(ANTI_ENTROPY_REPOSITORY.length()).split("/", -1)) segments.add(decodePath(raw));
      return named(Route.ADMIN_ANTI_ENTROPY_REPOSITORY, segments, null);
    }
    if (!rawPath.startsWith("/v2/")) return Optional.empty();
    // limit -1 keeps trailing empty strings: "/v2/a/blobs/uploads/" ends with an empty session segment.
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.substring(4).split("/", -1)) segments.add(decodePath(raw));
    int n = segments.size();
    if (n >= 3 && segments.get(n - 3).equals("blobs") && segments.get(n - 2).equals("uploads")) {
      String session = segments.get(n - 1);
      Route route = session.isEmpty() ? Route.UPLOAD_START : Route.UPLOAD;
      return named(route, segments.subList(0, n - 3), session.isEmpty() ? null : session);
    }
    if (n >= 2 && segments.get(n - 2).equals("blobs") && segments.get(n - 1).equals("uploads")) {
      return named(Route.UPLOAD_START, segments.subList(0, n - 2), null);
    }
    if (n >= 2 && segments.get(n - 2).equals("tags") && segments.get(n - 1).equals("list")) {
      return named(Route.TAGS_LIST, segments.subList(0, n - 2), null);
    }
    if (n >= 2) {
      Route route =
          switch (segments.get(n - 2)) {
            case "manifests" -> Route.MANIFEST;
            case "blobs" -> Route.BLOB;
            case "referrers" -> Route.REFERRERS;
            default -> null;
          };
      if (route != null) return named(route, segments.subList(0, n - 2), segments.get(n - 1));
    }
    return Optional.empty();
  }

  private static RouteMatch simple(Route route) {
    return new RouteMatch(route, Optional.empty(), Optional.empty(), Map.of());
  }

  private static Optional<RouteMatch> named(Route route, List<String> nameSegments, String parameter) {
    // An empty name ("/v2//manifests/x" or "/v2/manifests/x") still routes: validation answers NAME_INVALID.
    String name = String.join("/", nameSegments);
    return Optional.of(new RouteMatch(route, Optional.of(name), Optional.ofNullable(parameter), Map.of()));
  }

  static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) return query;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String key = decodeQuery(eq >= 0 ? pair.substring(0, eq) : pair);
      String value = eq >= 0 ? decodeQuery(pair.substring(eq + 1)) : "";
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decodePath(String raw) {
    try {
      return percentDecode(raw, false);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(OciErrorCode.NAME_INVALID, "malformed percent-encoding in path", abbreviate(raw), 400);
    }
  }

  private static String decodeQuery(String raw) {
    try {
      return percentDecode(raw, true);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, "malformed percent-encoding in query", abbreviate(raw), 400);
    }
  }

  /** RFC 3986 percent-decoding as UTF-8; {@code +} means a space only in a query (form encoding). */
  static String percentDecode(String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0) return plusIsSpace ? raw.replace('+', ' ') : raw;
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) throw new IllegalArgumentException("truncated escape");
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw new IllegalArgumentException("bad escape");
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        int codePoint = raw.codePointAt(i);
        byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
