package dev.meridian.agent.repair;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.RegisterEvents;
import dev.meridian.core.state.RegistryState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repair endpoints without HTTP: run a scrub pass or an anti-entropy round now, and what peers ask during
 * theirs (this region's digests, one repository's registers as events). Blocking.
 */
public final class RepairService {
  private final RegistryState state;
  private final Scrubber scrubber;
  private final Optional<AntiEntropy> antiEntropy;
  private final RegionId self;

  /** @param self this region: it names the events a peer's repair gets (their ids are never on the log) */
  public RepairService(RegionId self, RegistryState state, Scrubber scrubber, Optional<AntiEntropy> antiEntropy) {
    this.self = self;
    this.state = state;
    this.scrubber = scrubber;
    this.antiEntropy = antiEntropy;
  }

  public Scrubber.Report scrub() {
    return scrubber.scrubNow();
  }

  /** Whether a blob may be sent to a peer: its bytes are hashed now, and quarantined if corrupt. */
  public boolean verifyForPeer(dev.meridian.core.digest.Digest digest) {
    return scrubber.verifyOrQuarantine(digest);
  }

  public Map<RepositoryName, String> summary() {
    return RegisterSummary.of(state);
  }

  /** Every register of the repository, as the event that wrote it; {@code NAME_UNKNOWN} if it has none. */
  public List<ReplicationEvent> registers(RepositoryName repository) {
    if (!state.repositoryExists(repository)) throw RegistryException.nameUnknown(repository.value());
    return new RegisterEvents(self).of(state.repositoryRegisters(repository));
  }

  /** A round against every peer now; 404 for a standalone region, which has none. */
  public AntiEntropy.Report antiEntropy() {
    return antiEntropy.orElseThrow(() -> new RegistryException(OciErrorCode.UNSUPPORTED,
        "anti-entropy runs only in a region that is a member of a fleet", null, 404)).runNow();
  }
}
