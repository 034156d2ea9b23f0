package dev.meridian.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.Stamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The merge rule alone: a state-based CRDT, so order and repetition of writes cannot matter. */
class RegisterMergePropertiesTest {

  @Provide
  Arbitrary<List<Object>> writes() {
    return RegisterWrites.writes();
  }

  @Provide
  Arbitrary<Stamp> stamps() {
    return RegisterWrites.stamps();
  }

  @Property
  void exactlyOneOfTwoDifferentStampsWins(@ForAll("stamps") Stamp a, @ForAll("stamps") Stamp b) {
    if (a.equals(b)) {
      assertThat(RegisterMerge.wins(a, Optional.of(b))).isFalse();
    } else {
      assertThat(RegisterMerge.wins(a, Optional.of(b))).isNotEqualTo(RegisterMerge.wins(b, Optional.of(a)));
    }
  }

  @Property
  void anyStampWinsOverNothing(@ForAll("stamps") Stamp a) {
    assertThat(RegisterMerge.wins(a, Optional.empty())).isTrue();
  }

  @Property
  void everyOrderWithDuplicatesMergesToTheSameWinners(@ForAll("writes") List<Object> writes, @ForAll Random random) {
    List<Object> delivered = new ArrayList<>(writes);
    for (int i = random.nextInt(writes.size() + 1); i > 0; i--) delivered.add(writes.get(random.nextInt(writes.size())));
    Collections.shuffle(delivered, random);

    assertThat(RegisterModel.of(delivered).winners()).isEqualTo(RegisterModel.of(writes).winners());
  }

  @Property
  void eachRegisterEndsWithItsHighestStampedWrite(@ForAll("writes") List<Object> writes) {
    RegisterModel model = RegisterModel.of(writes);
    for (Object write : writes) {
      Object winner = model.winners().get(RegisterWrites.registerKey(write));
      assertThat(RegisterWrites.stampOf(winner)).isGreaterThanOrEqualTo(RegisterWrites.stampOf(write));
    }
  }
}
