package dev.meridian.agent.drill;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** A drill report for people (a table) and for programs (JSON, {@code meridian drill failover --json}). */
public final class DrillReportFormat {
  private DrillReportFormat() {}

  public static String text(DrillReport r) {
    StringBuilder out = new StringBuilder();
    out.append("failover drill of ").append(r.region()).append(" (fleet: ").append(String.join(", ", r.regions())).append(")\n");
    row(out, "result", r.passed() ? "PASSED" : "FAILED");
    row(out, "drained", r.drained() ? "yes, at " + r.cutOverAt() : "no");
    row(out, "RPO at cut-over", r.rpo().size() + " image references (" + r.rpoWrites() + " writes) not shipped");
    for (String ref : r.rpo()) row(out, "", ref);
    row(out, "written while out", r.acknowledgedWhileOut().size() + " image references (clients bypassing routing)");
    for (String ref : r.acknowledgedWhileOut()) row(out, "", ref);
    row(out, "workload", r.workload().writes().size() + " pushes, " + r.workload().pulls() + " pulls, "
        + r.workload().errors().size() + " client errors");
    for (String error : r.workload().errors()) row(out, "", error);
    row(out, "time to catch up", r.catchUp().map(DrillReportFormat::seconds).orElse("never (within the timeout)"));
    row(out, "routing restored", !r.routingRestored() ? "no: still disabled" : r.catchUp().isPresent()
        ? String.format(Locale.ROOT, "yes, at lag %.1f s", r.lagAtRestoreSeconds()) : "yes, at the end of the drill, not caught up");
    row(out, "converged", r.converged() ? "yes, every region serves the same" : "no: " + r.divergent().size() + " references differ");
    for (String d : r.divergent()) row(out, "", d);
    row(out, "duration", seconds(Duration.between(r.startedAt(), r.finishedAt())));
    return out.toString();
  }

  public static ObjectNode json(DrillReport r) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("region", r.region());
    strings(n.putArray("regions"), r.regions());
    n.put("passed", r.passed());
    n.put("startedAt", r.startedAt().toString());
    n.put("cutOverAt", r.cutOverAt().toString());
    n.put("reconnectedAt", r.reconnectedAt().toString());
    n.put("finishedAt", r.finishedAt().toString());
    n.put("drained", r.drained());
    ObjectNode rpo = n.putObject("rpo");
    rpo.put("count", r.rpo().size());
    rpo.put("writes", r.rpoWrites());
    strings(rpo.putArray("references"), r.rpo());
    ObjectNode out = n.putObject("acknowledgedWhileOut");
    out.put("count", r.acknowledgedWhileOut().size());
    strings(out.putArray("references"), r.acknowledgedWhileOut());
    ObjectNode workload = n.putObject("workload");
    workload.put("pushes", r.workload().writes().size());
    workload.put("pulls", r.workload().pulls());
    workload.put("clientErrors", r.workload().errors().size());
    strings(workload.putArray("errors"), r.workload().errors());
    strings(workload.putArray("references"), r.workload().writes().stream().map(DrillWorkload.Write::toString).toList());
    if (r.catchUp().isPresent()) n.put("catchUpSeconds", r.catchUp().get().toMillis() / 1000.0);
    else n.putNull("catchUpSeconds");
    n.put("routingRestored", r.routingRestored());
    if (r.routingRestored() && r.catchUp().isPresent()) n.put("lagAtRestoreSeconds", r.lagAtRestoreSeconds());
    else n.putNull("lagAtRestoreSeconds");
    n.put("converged", r.converged());
    strings(n.putArray("divergent"), r.divergent());
    return n;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "  %-18s %s%n", label, value));
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
