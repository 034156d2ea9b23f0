package dev.meridian.core.state.rocksdb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The compact binary form of the registers replay writes most (tags, blob links, manifests), read and written field by
 * field: lengths and numbers as unsigned LEB128 varints, text as a length and its UTF-8 bytes, an optional field as a
 * presence byte (0 or 1) then the field, a map as its size then key and value texts, a stamp as its HLC's millis and
 * logical counter then its origin. A value in this form starts with {@link #FORMAT}; a JSON value (what the store wrote
 * before, still read) always starts with {@code '{'}, so one byte tells them apart.
 */
final class BinaryValue {
  /** The first byte of every binary value: the format's version. */
  static final byte FORMAT = 1;

  private BinaryValue() {}

  /** Whether {@code value} is in this form rather than JSON. */
  static boolean isBinary(byte[] value) {
    return value.length > 0 && value[0] == FORMAT;
  }

  /** Builds one value; starts with {@link #FORMAT}. */
  static final class Writer {
    private byte[] bytes = new byte[64];
    private int size;

    Writer() {
      write(FORMAT);
    }

    Writer write(int b) {
      if (size == bytes.length) bytes = Arrays.copyOf(bytes, size * 2);
      bytes[size++] = (byte) b;
      return this;
    }

    Writer bool(boolean value) {
      return write(value ? 1 : 0);
    }

    Writer varLong(long value) {
      if (value < 0) throw new IllegalArgumentException("negative number in a state value: " + value);
      while ((value & ~0x7FL) != 0) {
        write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      return write((int) value);
    }

    Writer text(String text) {
      byte[] utf8 = text.getBytes(UTF_8);
      varLong(utf8.length);
      if (size + utf8.length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + utf8.length));
      System.arraycopy(utf8, 0, bytes, size, utf8.length);
      size += utf8.length;
      return this;
    }

    Writer optionalText(Optional<String> text) {
      bool(text.isPresent());
      text.ifPresent(this::text);
      return this;
    }

    Writer map(Map<String, String> map) {
      varLong(map.size());
      map.forEach((k, v) -> text(k).text(v));
      return this;
    }

    Writer stamp(Stamp stamp) {
      return varLong(stamp.hlc().physicalMillis()).varLong(stamp.hlc().logical()).text(stamp.origin().value());
    }

    byte[] toBytes() {
      return Arrays.copyOf(bytes, size);
    }
  }

  /** Reads one value field by field; {@link IllegalArgumentException} at anything this form cannot hold. */
  static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      if (!isBinary(bytes)) throw new IllegalArgumentException("not a binary state value");
      this.bytes = bytes;
      this.position = 1;
    }

    int read() {
      if (position >= bytes.length) throw new IllegalArgumentException("state value ends early");
      return bytes[position++] & 0xFF;
    }

    boolean bool() {
      int b = read();
      if (b > 1) throw new IllegalArgumentException("not a boolean: " + b);
      return b == 1;
    }

    long varLong() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = read();
        if (shift == 63 && (b & 0x7E) != 0) throw new IllegalArgumentException("number past 64 bits");
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) return value;
      }
      throw new IllegalArgumentException("number too long");
    }

    int length() {
      long length = varLong();
      if (length > bytes.length - position) throw new IllegalArgumentException("length past the value's end: " + length);
      return (int) length;
    }

    String text() {
      int length = length();
      String text = ascii(position, length) ? new String(bytes, position, length, US_ASCII) : strictUtf8(length);
      position += length;
      return text;
    }

    private boolean ascii(int from, int length) {
      for (int i = from; i < from + length; i++) if (bytes[i] < 0) return false;
      return true;
    }

    /** Malformed UTF-8 is a corrupt value, not text to patch with replacement characters. */
    private String strictUtf8(int length) {
      try {
        return UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, position, length)).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("text is not UTF-8", e);
      }
    }

    Optional<String> optionalText() {
      return bool() ? Optional.of(text()) : Optional.empty();
    }

    /**
     * Steps over a text without reading it as text: for a reader that needs only some of a value's fields. Bounds are
     * checked as for {@link #text()}; the encoding is not.
     */
    void skipText() {
      int length = length(); // first: "position += length()" would add to the position before the length was read
      position += length;
    }

    void skipOptionalText() {
      if (bool()) skipText();
    }

    void skipMap() {
      int entries = length();
      for (int i = 0; i < entries; i++) {
        skipText();
        skipText();
      }
    }

    void skipStamp() {
      varLong();
      varLong();
      skipText();
    }

    Map<String, String> map() {
      int entries = length();
      Map<String, String> map = new LinkedHashMap<>();
      for (int i = 0; i < entries; i++) {
        String key = text();
        if (map.put(key, text()) != null) throw new IllegalArgumentException("key twice in a map: " + key);
      }
      return map;
    }

    Stamp stamp() {
      long millis = varLong();
      long logical = varLong();
      if (logical > Integer.MAX_VALUE) throw new IllegalArgumentException("logical counter too large: " + logical);
      return new Stamp(new HlcTimestamp(millis, (int) logical), new RegionId(text()));
    }

    /** Ends the read: trailing bytes mean the value is not what this form wrote. */
    void end() {
      if (position != bytes.length) throw new IllegalArgumentException((bytes.length - position) + " bytes after the value");
    }
  }
}
