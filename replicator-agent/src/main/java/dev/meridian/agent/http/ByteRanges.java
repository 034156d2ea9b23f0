package dev.meridian.agent.http;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two byte-range headers of the API, parsed. Pure.
 *
 * <p>{@code Range} on a blob GET (RFC 9110 section 14): one range, {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n}; a header that does not parse, or asks for several ranges, is ignored (the full blob
 * is sent), as the RFC allows. {@code Content-Range} on an upload PATCH: the spec's {@code a-b}; the
 * RFC's {@code bytes a-b/total} is accepted too because some clients send it.
 */
public final class ByteRanges {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

  private ByteRanges() {}

  /** An inclusive range {@code [first, last]}. */
  public record Inclusive(long first, long last) {
    public Inclusive {
      if (first < 0 || last < first) throw new IllegalArgumentException("bad range " + first + "-" + last);
    }

    public long length() {
      return last - first + 1;
    }
  }

  /**
   * The part of a blob of {@code size} bytes a {@code Range} header asks for; empty for the whole blob.
   * Throws {@code RANGE_INVALID} (416) when it cannot be satisfied.
   */
  public static Optional<Inclusive> parseRange(String header, long size) {
    if (header == null) return Optional.empty();
    Matcher m = RANGE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return Optional.empty();
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) throw unsatisfiable(header, size);
        return Optional.of(new Inclusive(Math.max(0, size - suffix), size - 1));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (first >= size) throw unsatisfiable(header, size);
      if (last < first) return Optional.empty(); // "a-b" with b < a is invalid syntax: ignore the header
      return Optional.of(new Inclusive(first, last));
    } catch (NumberFormatException tooLong) {
      return Optional.empty();
    }
  }

  /**
   * The chunk a {@code Content-Range} header announces. Throws {@code BLOB_UPLOAD_INVALID} (400) when the
   * header is malformed and {@code RANGE_INVALID} (416) when its end comes before its start.
   */
  public static Inclusive parseContentRange(String header) {
    Matcher m = CONTENT_RANGE.matcher(header.trim());
    if (!m.matches()) {
      throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID, "malformed Content-Range: " + abbreviate(header), null, 400);
    }
    try {
      long first = Long.parseLong(m.group(1));
      long last = Long.parseLong(m.group(2));
      if (last < first) throw new RegistryException(OciErrorCode.RANGE_INVALID, "Content-Range ends before it starts", header, 416);
      return new Inclusive(first, last);
    } catch (NumberFormatException tooLong) {
      throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID, "Content-Range out of bounds", null, 400);
    }
  }

  private static RegistryException unsatisfiable(String header, long size) {
    return new RegistryException(OciErrorCode.RANGE_INVALID, "range not satisfiable for " + size + " bytes", abbreviate(header), 416);
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
