package dev.meridian.agent.cli;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.synthetic.SyntheticRegistry;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.state.StateStoreException;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian load-synthetic}: a bench tool that fills an empty, stopped region's data directory with a
 * synthetic registry ({@link SyntheticRegistry}) through the agent's own blob store and state store, so
 * {@code meridian serve} on that directory serves it as if it had been pushed. Exit 1 if the directory already
 * holds a registry or is in use by a running agent.
 */
@Command(name = "load-synthetic", mixinStandardHelpOptions = true,
    description = "Bench tool: writes a synthetic registry (N repositories x M tags over a few shared images) into "
        + "an empty region data directory, before the agent starts.")
public final class LoadSyntheticCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", required = true, description = "The region's data directory (as given to serve).")
  Path dataDir;

  @Option(names = "--region", required = true, description = "The region the registers are stamped with (their origin).")
  String region;

  @Option(names = "--repositories", defaultValue = "100000", description = "How many repositories (default: ${DEFAULT-VALUE}).")
  int repositories;

  @Option(names = "--tags-per-repository", defaultValue = "10",
      description = "How many tags each repository gets (default: ${DEFAULT-VALUE}).")
  int tagsPerRepository;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SyntheticRegistry registry;
    RegionId origin;
    try {
      origin = new RegionId(region);
      registry = new SyntheticRegistry(repositories, tagsPerRepository, origin);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    AgentConfig layout = new AgentConfig(origin, AgentConfig.DEFAULT_BIND, 0, dataDir);
    long start = System.nanoTime();
    try (var state = RocksDbRegistryState.open(layout.stateDir());
        var blobs = new FileSystemBlobStore(layout.blobsRoot())) {
      if (!state.listRepositories(Optional.empty(), 1).isEmpty()) {
        err.println("meridian load-synthetic: " + dataDir + " already holds a registry; give an empty data directory");
        return 1;
      }
      int[] reported = {0};
      SyntheticRegistry.Loaded loaded = registry.load(blobs, state, new Hlc(Clock.systemUTC()), done -> {
        if (done - reported[0] >= Math.max(repositories / 10, 1)) { // about ten lines whatever the size
          reported[0] = done;
          out.printf("loaded %d of %d repositories%n", done, repositories);
          out.flush();
        }
      });
      out.printf("loaded %d repositories and %d tags over %d manifests (%d blobs) in %.1f s%n", loaded.repositories(),
          loaded.tags(), loaded.manifests().size(), loaded.blobs(), (System.nanoTime() - start) / 1e9);
      return 0;
    } catch (StateStoreException e) {
      err.println("meridian load-synthetic: cannot open the state store in " + layout.stateDir()
          + " (is an agent running on it?): " + e.getMessage());
      return 1;
    }
  }
}
