package dev.meridian.agent.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The polls a {@link KafkaEventSubscriber} fetched and its handler has not taken yet, in poll order, counted in
 * records and in bytes, and cut into the handler's batches.
 *
 * <p>A batch is bounded in bytes as well as in records: small manifests travel inline as record headers (up to
 * 32 KiB each, 43 KiB as base64), so 2000 records of them are ~86 MB, all held until their commit. A batch therefore
 * takes whole polls while they fit, and cuts a poll that does not fit: its first records go now, the rest stays at
 * the head of the queue for the next batch. Cutting changes no order (the queue is taken from its head) and no
 * exactly-once guarantee (each batch commits its records' offsets with their state, whatever the cut). A batch
 * always takes at least one record, however large. What the handler prepared for each record (decoded events)
 * travels with it through the cuts. Pure and not thread-safe: the subscriber guards it.
 */
final class PendingPolls {
  /** A batch for the handler: its records, and what was prepared for each, in order (null where nothing was). */
  record Batch(List<LogRecord> records, List<Object> prepared) {
    Batch {
      if (records.size() != prepared.size()) throw new IllegalArgumentException("one prepared entry per record");
    }
  }

  /** A queued poll; {@code prepared} is null when nothing was prepared for it, else one entry per record. */
  private record Poll(List<LogRecord> records, List<?> prepared) {
    Object preparedFor(int i) {
      return prepared == null ? null : prepared.get(i);
    }
  }

  private final ArrayDeque<Poll> polls = new ArrayDeque<>();
  private int records;
  private long bytes;

  void add(List<LogRecord> poll) {
    add(poll, null);
  }

  /** Queues {@code poll} with what was prepared for it: null for nothing, else one entry per record. */
  void add(List<LogRecord> poll, List<?> prepared) {
    if (prepared != null && prepared.size() != poll.size()) {
      throw new IllegalArgumentException("prepared " + prepared.size() + " entries for " + poll.size() + " records");
    }
    if (poll.isEmpty()) return;
    polls.add(new Poll(poll, prepared));
    records += poll.size();
    bytes += bytesOf(poll);
  }

  boolean isEmpty() {
    return polls.isEmpty();
  }

  int records() {
    return records;
  }

  long bytes() {
    return bytes;
  }

  /**
   * Takes the next batch from the head: whole polls while the batch stays within {@code maxRecords} records and
   * {@code maxBytes} bytes, then the records of the next poll that still fit (at least one record in all).
   */
  Batch take(int maxRecords, long maxBytes) {
    List<LogRecord> batch = new ArrayList<>();
    List<Object> prepared = new ArrayList<>();
    long batchBytes = 0;
    while (!polls.isEmpty()) {
      Poll head = polls.poll();
      List<LogRecord> headRecords = head.records();
      int taken = 0;
      while (taken < headRecords.size() && batch.size() < maxRecords) {
        long size = bytesOf(headRecords.get(taken));
        if (!batch.isEmpty() && batchBytes + size > maxBytes) break;
        prepared.add(head.preparedFor(taken));
        batch.add(headRecords.get(taken++));
        batchBytes += size;
      }
      if (taken < headRecords.size()) {
        // The rest of a cut poll goes first next time, copied: a view would keep the taken records reachable.
        polls.addFirst(new Poll(new ArrayList<>(headRecords.subList(taken, headRecords.size())),
            head.prepared() == null ? null : new ArrayList<>(head.prepared().subList(taken, headRecords.size()))));
        break;
      }
    }
    records -= batch.size();
    bytes -= batchBytes;
    return new Batch(batch, prepared);
  }

  /** Merges each queued record's partition into {@code first} with its offset, keeping the lowest (a rewind). */
  void firstOffsets(Map<Integer, Long> first) {
    for (Poll poll : polls) {
      for (LogRecord r : poll.records()) first.merge(r.partition(), r.offset(), Math::min);
    }
  }

  void clear() {
    polls.clear();
    records = 0;
    bytes = 0;
  }

  /** What a record holds on the heap, roughly: its value, key and headers (an inline manifest is one). */
  static long bytesOf(LogRecord record) {
    long size = record.value().length + record.key().map(String::length).orElse(0);
    for (Map.Entry<String, String> header : record.headers().entrySet()) {
      size += header.getKey().length() + header.getValue().length();
    }
    return size;
  }

  static long bytesOf(List<LogRecord> records) {
    long size = 0;
    for (LogRecord r : records) size += bytesOf(r);
    return size;
  }
}
