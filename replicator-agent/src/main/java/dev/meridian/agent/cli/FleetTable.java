package dev.meridian.agent.cli;

import dev.meridian.agent.admin.RegionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fleet as an aligned text table, one region per row: what {@code meridian status} prints. Pure. */
final class FleetTable {
  private static final List<String> HEADER =
      List.of("REGION", "STATE", "ROUTING", "LAG", "PENDING", "PENDING-BYTES", "OUTBOX", "APPLIED", "STORED", "RECLAIMED", "USED", "URL", "NOTE");

  private FleetTable() {}

  static String render(List<RegionStatus> regions) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (RegionStatus r : regions) {
      rows.add(List.of(r.id(), r.state().wireName(), r.routingEnabled() ? "on" : "off",
          String.format(Locale.ROOT, "%.1fs", r.lagSeconds()), String.valueOf(r.pendingTransfers()), bytes(r.pendingBytes()),
          String.valueOf(r.outboxBacklog()), String.valueOf(r.eventsApplied()), bytes(r.storage().storedBytes()),
          bytes(r.storage().reclaimedBytes()),
          bytes(r.storage().usedBytes()) + r.storage().quotaBytes().map(q -> "/" + bytes(q)).orElse(""), r.url(), note(r)));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String note(RegionStatus r) {
    List<String> parts = new ArrayList<>();
    r.reason().ifPresent(parts::add);
    r.creation().ifPresent(c -> parts.add(c.manifestsRemaining() + " manifests, " + bytes(c.bytesRemaining()) + " to fetch"
        + (c.etaSeconds().isPresent() ? ", about " + c.etaSeconds().getAsLong() + " s left" : "")));
    r.lastError().filter(e -> r.reason().filter(e::equals).isEmpty()).ifPresent(e -> parts.add("last error: " + e));
    return String.join("; ", parts);
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
