package dev.meridian.agent.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.admin.UnshippedWrite;
import dev.meridian.core.clock.RegionId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillUndoTest {
  private static final RegionId EAST = new RegionId("eastus");

  private final List<String> calls = new ArrayList<>();
  private boolean failEnable;

  private final RegionCut cut = new RegionCut() {
    @Override
    public void isolate(RegionId region) {
      calls.add("isolate " + region);
    }

    @Override
    public List<UnshippedWrite> unshipped(RegionId region) {
      return List.of();
    }

    @Override
    public void reconnect(RegionId region) {
      calls.add("reconnect " + region);
    }
  };

  private final RoutingControl routing = new RoutingControl() {
    @Override
    public boolean isEnabled(RegionId region) {
      return true;
    }

    @Override
    public void disable(RegionId region) {
      calls.add("disable " + region);
    }

    @Override
    public void enable(RegionId region) {
      calls.add("enable " + region);
      if (failEnable) throw new IllegalStateException("topology unavailable");
    }
  };

  private final DrillUndo undo = new DrillUndo(cut, routing);

  @Test
  void aDrillStoppedFromOutsideIsReconnectedAndRoutedToAgain() {
    undo.cut().isolate(EAST);
    undo.routing().disable(EAST);

    assertThat(undo.undo()).isEmpty();
    assertThat(calls).containsExactly("isolate eastus", "disable eastus", "reconnect eastus", "enable eastus");
    calls.clear();
    assertThat(undo.undo()).as("once is enough").isEmpty();
    assertThat(calls).isEmpty();
  }

  @Test
  void whatTheDrillUndidItselfIsLeftAlone() {
    undo.cut().isolate(EAST);
    undo.routing().disable(EAST);
    undo.cut().reconnect(EAST);
    undo.routing().enable(EAST);
    calls.clear();

    assertThat(undo.undo()).isEmpty();
    assertThat(calls).isEmpty();
  }

  @Test
  void aRestoreThatFailsIsReportedAndTriedAgainNextTime() {
    undo.routing().disable(EAST);
    failEnable = true;

    assertThat(undo.undo()).singleElement().asString().contains("could not restore the routing of eastus", "topology unavailable");
    failEnable = false;
    assertThat(undo.undo()).isEmpty();
    assertThat(calls).containsExactly("disable eastus", "enable eastus", "enable eastus");
  }
}
