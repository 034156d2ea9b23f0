package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.lifecycle.GcReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian gc}: garbage collection of one region now ({@code POST /admin/v1/gc}), printing what it deleted
 * or, with {@code --dry-run}, what it would delete. Exit 1 if the region does not answer.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
    description = "Deletes a region's unreferenced blobs and abandoned uploads now (past the grace period).")
public final class GcCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin CredentialOptions credentials;

  @Option(names = "--registry", required = true, description = "The region's URL, e.g. http://127.0.0.1:5001.")
  String registry;

  @Option(names = "--dry-run", description = "Report what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(names = "--timeout", defaultValue = "10m", converter = DurationArgument.class,
      description = "How long to wait for the collection (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    JsonNode answer;
    try {
      answer = new AdminHttpClient(timeout, credentials.authorization()).post(RegistryUrl.check(spec, registry), "/admin/v1/gc",
          Map.of("dryRun", String.valueOf(dryRun))).join();
    } catch (CompletionException e) {
      spec.commandLine().getErr().println("meridian gc: " + registry + " did not answer: " + Cli.reason(e));
      return 1;
    }
    print(AdminJson.parseGc(answer), spec.commandLine().getOut());
    return 0;
  }

  static void print(GcReport r, PrintWriter out) {
    String verb = r.dryRun() ? "would delete" : "deleted";
    r.blobs().forEach(d -> out.println((r.dryRun() ? "would delete blob " : "deleted blob ") + d));
    r.uploads().forEach(u -> out.println((r.dryRun() ? "would delete upload " : "deleted upload ") + u));
    out.printf("%s %d blobs (%s) and %d abandoned uploads (%s) of %d blobs scanned; %s stored%n", verb, r.blobsDeleted(),
        FleetTable.bytes(r.blobBytesReclaimed()), r.uploadsDeleted(), FleetTable.bytes(r.uploadBytesReclaimed()),
        r.blobsScanned(), FleetTable.bytes(r.storedBytes()));
    out.flush();
  }
}
