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
 * always takes at least one record, however large. Pure and not thread-safe: the subscriber guards it.
 */
final class PendingPolls {
  private final ArrayDeque<List<LogRecord>> polls = new ArrayDeque<>();
  private int records;
  private long bytes;

  void add(List<LogRecord> poll) {
    if (poll.isEmpty()) return;
    polls.add(poll);
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
  List<LogRecord> take(int maxRecords, long maxBytes) {
    List<LogRecord> batch = new ArrayList<>();
    long batchBytes = 0;
    while (!polls.isEmpty()) {
      List<LogRecord> head = polls.poll();
      int taken = 0;
      while (taken < head.size() && batch.size() < maxRecords) {
        long size = bytesOf(head.get(taken));
        if (!batch.isEmpty() && batchBytes + size > maxBytes) break;
        batch.add(head.get(taken++));
        batchBytes += size;
      }
      if (taken < head.size()) {
        // The rest of a cut poll goes first next time, copied: a view would keep the taken records reachable.
        polls.addFirst(new ArrayList<>(head.subList(taken, head.size())));
        break;
      }
    }
    records -= batch.size();
    bytes -= batchBytes;
    return batch;
  }

  /** Merges each queued record's partition into {@code first} with its offset, keeping the lowest (a rewind). */
  void firstOffsets(Map<Integer, Long> first) {
    for (List<LogRecord> poll : polls) {
      for (LogRecord r : poll) first.merge(r.partition(), r.offset(), Math::min);
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
