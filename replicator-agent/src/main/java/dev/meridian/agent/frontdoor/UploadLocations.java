package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.util.Optional;

/**
 * Upload session URLs as the front door hands them out: the session segment carries the region that holds
 * the session, {@code /v2/<name>/blobs/uploads/<region>~<session>}, so every later request of the upload
 * goes back to that region whatever routing would pick by then. A region's id never contains {@code ~}
 * (ids are {@code [a-z0-9-]}), and the front door never strips the prefix from anything it did not add.
 *
 * <p>Pure: string work only.
 */
public final class UploadLocations {
  static final char SEPARATOR = '~';
  private static final String UPLOADS = "/blobs/uploads/";

  private UploadLocations() {}

  /** An upload request bound to {@code region}; {@code upstreamUri} is the request target to send there. */
  public record Pinned(RegionId region, String upstreamUri) {
    public Pinned {
      requireNonNull(region, "region");
      requireNonNull(upstreamUri, "upstreamUri");
    }
  }

  /** The region a request target names, when it is an upload session URL this front door made. */
  public static Optional<Pinned> parse(String uri) {
    int q = uri.indexOf('?');
    String path = q >= 0 ? uri.substring(0, q) : uri;
    String query = q >= 0 ? uri.substring(q) : "";
    int uploads = path.lastIndexOf(UPLOADS);
    if (!path.startsWith("/v2/") || uploads < 0) return Optional.empty();
    String session = path.substring(uploads + UPLOADS.length());
    int tilde = session.indexOf(SEPARATOR);
    if (session.isEmpty() || session.indexOf('/') >= 0 || tilde <= 0 || tilde == session.length() - 1) return Optional.empty();
    RegionId region;
    try {
      region = new RegionId(session.substring(0, tilde));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String upstream = path.substring(0, uploads + UPLOADS.length()) + session.substring(tilde + 1) + query;
    return Optional.of(new Pinned(region, upstream));
  }

  /**
   * A {@code Location} from {@code region} as the client should see it: relative (so the client comes back
   * to the front door, not to the region), and, for an upload session, with the region encoded.
   */
  public static String rewrite(String location, RegionId region) {
    String relative = withoutAuthority(location);
    int q = relative.indexOf('?');
    String path = q >= 0 ? relative.substring(0, q) : relative;
    String query = q >= 0 ? relative.substring(q) : "";
    int uploads = path.lastIndexOf(UPLOADS);
    if (!path.startsWith("/v2/") || uploads < 0) return relative;
    String session = path.substring(uploads + UPLOADS.length());
    if (session.isEmpty() || session.indexOf('/') >= 0 || session.indexOf(SEPARATOR) >= 0) return relative;
    return path.substring(0, uploads + UPLOADS.length()) + region.value() + SEPARATOR + session + query;
  }

  private static String withoutAuthority(String location) {
    int scheme = location.indexOf("://");
    if (scheme < 0 || location.startsWith("/")) return location;
    int slash = location.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : location.substring(slash);
  }
}
