package dev.meridian.agent.transfer;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The status line and header fields of an HTTP/1.1 response (RFC 9112), as a peer sends them before a blob's body.
 * Pure: {@link #parse} reads bytes already received. Only what a blob transfer needs is interpreted; a response this
 * parser does not accept ({@link ProtocolException}) is never guessed at.
 *
 * @param status the status code
 * @param fields the header fields by lower-case name, each with its values in the order received
 * @param length the bytes of the head, blank line included: the body starts there
 */
record ResponseHead(int status, Map<String, List<String>> fields, int length) {
  /** A head longer than this is refused: a peer's blob response has a dozen short fields. */
  static final int MAX_LENGTH = 64 * 1024;

  ResponseHead {
    if (status < 100 || status > 999) throw new IllegalArgumentException("status " + status);
    if (length < 1) throw new IllegalArgumentException("length " + length);
    var copy = new TreeMap<String, List<String>>();
    fields.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    fields = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The head at the start of {@code bytes[0, end)}; empty while its blank line has not arrived.
   *
   * @throws ProtocolException when the bytes are not an HTTP/1.x response head, or it would exceed {@link #MAX_LENGTH}
   */
  static Optional<ResponseHead> parse(byte[] bytes, int end) throws ProtocolException {
    int headEnd = endOfHead(bytes, Math.min(end, MAX_LENGTH));
    if (headEnd < 0) {
      if (end >= MAX_LENGTH) throw new ProtocolException("response head over " + MAX_LENGTH + " bytes");
      return Optional.empty();
    }
    String[] lines = new String(bytes, 0, headEnd - 4, ISO_8859_1).split("\r\n", -1);
    int status = statusOf(lines[0]);
    Map<String, List<String>> fields = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      // No obsolete line folding (a leading space), no empty names, no whitespace before the colon (RFC 9112 5.1).
      if (colon <= 0 || !isToken(line, 0, colon)) throw new ProtocolException("bad header field: " + printable(line));
      String value = trimSpaceAndTab(line.substring(colon + 1)); // optional whitespace is SP and HTAB only
      if (!isFieldValue(value)) throw new ProtocolException("bad header field value: " + printable(line));
      fields.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }
    return Optional.of(new ResponseHead(status, fields, headEnd));
  }

  /** The one value of a field; empty when absent. */
  Optional<String> field(String name) throws ProtocolException {
    List<String> values = fields.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    if (values.size() > 1) throw new ProtocolException("field " + name + " sent " + values.size() + " times");
    return values.stream().findFirst();
  }

  /** The body's length as {@code Content-Length} says; empty when the field is absent. */
  OptionalLong contentLength() throws ProtocolException {
    Optional<String> value = field("content-length");
    if (value.isEmpty()) return OptionalLong.empty();
    String digits = value.get();
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ProtocolException("bad Content-Length: " + printable(digits));
    }
    return OptionalLong.of(Long.parseLong(digits));
  }

  /** Whether the body has a framing other than its length (a {@code Transfer-Encoding}, say chunked). */
  boolean transferEncoded() {
    return fields.containsKey("transfer-encoding");
  }

  private static int endOfHead(byte[] bytes, int end) {
    for (int i = 3; i < end; i++) {
      if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') return i + 1;
    }
    return -1;
  }

  /** {@code HTTP/1.x NNN reason}: the reason phrase may be empty, the code is three digits. */
  private static int statusOf(String line) throws ProtocolException {
    if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(7) < '0' || line.charAt(7) > '9'
        || line.charAt(8) != ' ' || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw new ProtocolException("bad status line: " + printable(line));
    }
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') throw new ProtocolException("bad status line: " + printable(line));
      status = status * 10 + (c - '0');
    }
    if (status < 100) throw new ProtocolException("bad status code: " + printable(line));
    return status;
  }

  private static String trimSpaceAndTab(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) from++;
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) to--;
    return s.substring(from, to);
  }

  /** Whether {@code s[from, to)} is a token (RFC 9110 5.6.2), as a field name must be. */
  static boolean isToken(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  /** Whether {@code value} may be a field's value: no control characters but tab. */
  static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c == 0x7f)) return false; // CR, LF, NUL and other controls
    }
    return true;
  }

  /** The text for an error message: controls shown escaped, at most 200 characters. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f) out.append(String.format("\\x%02x", (int) c));
      else out.append(c);
    }
    return out.toString();
  }
}
