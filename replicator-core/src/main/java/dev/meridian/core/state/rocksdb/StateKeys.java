package dev.meridian.core.state.rocksdb;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.state.TransferJob;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.LogPosition;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The keys of the state store's column families (formats drawn in {@link RocksDbRegistryState}).
 *
 * <p>Repository names, tags, digests and topics are ASCII and never contain 0x00, so 0x00 separates the
 * parts of a key unambiguously, and byte order of a key equals the lexical order of its parts: all keys
 * of one repository form one contiguous range starting at {@link #repositoryPrefix}.
 */
final class StateKeys {
  static final byte SEPARATOR = 0x00;

  private StateKeys() {}

  /** {@code repository 0x00}: the prefix of every key of one repository in tags, manifests, blob links, referrers. */
  static byte[] repositoryPrefix(RepositoryName repository) {
    return prefix(repository.value());
  }

  /** {@code repository 0x00 rest}, e.g. a tag or a digest. */
  static byte[] inRepository(RepositoryName repository, String rest) {
    return join(repository.value(), rest);
  }

  /** {@code repository 0x00 subject 0x00}: the prefix of one subject's referrers. */
  static byte[] referrersPrefix(RepositoryName repository, Digest subject) {
    return prefix(repository.value(), subject.toString());
  }

  static byte[] referrer(RepositoryName repository, Digest subject, Digest referrer) {
    return join(repository.value(), subject.toString(), referrer.toString());
  }

  /** {@code repository 0x00 digest 0x00 kind}: one transfer job (kind lower-case). */
  static byte[] transfer(RepositoryName repository, Digest digest, TransferJob.Kind kind) {
    return join(repository.value(), digest.toString(), kind.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** {@code repository 0x00 digest 0x00 region}: one region holding one manifest. */
  static byte[] replica(RepositoryName repository, Digest digest, RegionId region) {
    return join(repository.value(), digest.toString(), region.value());
  }

  /**
   * The least key above every key starting with {@code prefix} (the prefix with its last byte below 0xFF raised by one
   * and what follows it dropped); empty for an empty prefix or one of 0xFF bytes only, which no key bounds.
   */
  static Optional<byte[]> prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return Optional.of(end);
      }
    }
    return Optional.empty();
  }

  /** {@code queue 0x00 sequence}: one queued notification (sequence 8 bytes, big-endian). */
  static byte[] notification(String queue, long sequence) {
    byte[] prefix = prefix(queue);
    return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(sequence).array();
  }

  /** {@code queue 0x00}: the prefix of one notification queue. */
  static byte[] notificationQueue(String queue) {
    return prefix(queue);
  }

  /** {@code repository 0x00 digest 0x00}: the prefix of one manifest's replicas. */
  static byte[] replicasPrefix(RepositoryName repository, Digest digest) {
    return prefix(repository.value(), digest.toString());
  }

  /** The text after {@code prefix} in {@code key}. */
  static String suffix(byte[] key, byte[] prefix) {
    return new String(key, prefix.length, key.length - prefix.length, UTF_8);
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long longOf(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  /** {@code topic 0x00 partition (4 bytes, big-endian)}. */
  static byte[] logPosition(LogPosition position) {
    byte[] topic = utf8(position.topic());
    return ByteBuffer.allocate(topic.length + 1 + Integer.BYTES).put(topic).put(SEPARATOR).putInt(position.partition()).array();
  }

  static LogPosition logPosition(byte[] key) {
    int topicLength = key.length - 1 - Integer.BYTES;
    return new LogPosition(new String(key, 0, topicLength, UTF_8), ByteBuffer.wrap(key, topicLength + 1, Integer.BYTES).getInt());
  }

  /** The parts separated by 0x00. */
  private static byte[] join(String... parts) {
    var out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) out.write(SEPARATOR);
      out.writeBytes(utf8(parts[i]));
    }
    return out.toByteArray();
  }

  /** The parts each followed by 0x00: what every longer key of these parts starts with. */
  private static byte[] prefix(String... parts) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(join(parts));
    out.write(SEPARATOR);
    return out.toByteArray();
  }
}
