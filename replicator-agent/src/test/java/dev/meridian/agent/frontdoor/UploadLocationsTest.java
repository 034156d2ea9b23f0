package dev.meridian.agent.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.RegionId;
import org.junit.jupiter.api.Test;

class UploadLocationsTest {
  private static final RegionId EAST = new RegionId("eastus");

  @Test
  void anUploadLocationGetsItsRegionEncodedInTheSessionSegment() {
    assertThat(UploadLocations.rewrite("/v2/team-a/app/blobs/uploads/0f3c-11", EAST))
        .isEqualTo("/v2/team-a/app/blobs/uploads/eastus~0f3c-11");
  }

  @Test
  void anAbsoluteLocationBecomesRelativeSoTheClientComesBackToTheFrontDoor() {
    assertThat(UploadLocations.rewrite("http://127.0.0.1:5001/v2/app/blobs/uploads/abc?_state=x", EAST))
        .isEqualTo("/v2/app/blobs/uploads/eastus~abc?_state=x");
    assertThat(UploadLocations.rewrite("http://127.0.0.1:5001/v2/app/blobs/sha256:aa", EAST)).isEqualTo("/v2/app/blobs/sha256:aa");
  }

  @Test
  void locationsThatAreNotUploadSessionsAreLeftAlone() {
    assertThat(UploadLocations.rewrite("/v2/app/manifests/sha256:aa", EAST)).isEqualTo("/v2/app/manifests/sha256:aa");
    assertThat(UploadLocations.rewrite("/v2/app/blobs/uploads/", EAST)).isEqualTo("/v2/app/blobs/uploads/");
  }

  @Test
  void aLocationAlreadyCarryingARegionIsNotEncodedTwice() {
    String once = UploadLocations.rewrite("/v2/app/blobs/uploads/abc", EAST);
    assertThat(UploadLocations.rewrite(once, new RegionId("westeurope"))).isEqualTo(once);
  }

  @Test
  void anEncodedSessionParsesBackToItsRegionAndTheRegionsOwnTarget() {
    String encoded = UploadLocations.rewrite("/v2/a/b/c/blobs/uploads/abc-123", EAST) + "?digest=sha256:00";
    assertThat(UploadLocations.parse(encoded)).contains(
        new UploadLocations.Pinned(EAST, "/v2/a/b/c/blobs/uploads/abc-123?digest=sha256:00"));
  }

  @Test
  void targetsWithoutARegionAreNotPinned() {
    assertThat(UploadLocations.parse("/v2/app/blobs/uploads/abc")).isEmpty();
    assertThat(UploadLocations.parse("/v2/app/blobs/uploads/")).isEmpty();
    assertThat(UploadLocations.parse("/v2/app/blobs/uploads/~abc")).isEmpty();
    assertThat(UploadLocations.parse("/v2/app/blobs/uploads/eastus~")).isEmpty();
    assertThat(UploadLocations.parse("/v2/app/blobs/uploads/EAST~abc")).isEmpty(); // not a region id
    assertThat(UploadLocations.parse("/v2/app/manifests/eastus~abc")).isEmpty();
    assertThat(UploadLocations.parse("/v2/app/blobs/sha256:aa?x=eastus~abc")).isEmpty();
  }
}
