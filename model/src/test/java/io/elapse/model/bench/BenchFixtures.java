package io.elapse.model.bench;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.SplittableRandom;

/** Shared benchmark setup: the production-size configuration and pre-warmed entities. */
final class BenchFixtures {
  static final int ENTITIES = 256;
  static final int EVENTS_PER_ENTITY = 40; // more than W = 32: the ring is full and advances

  private BenchFixtures() {}

  /** H=64, E=32, K=30, V=10,000, W=32 (the defaults). */
  static ModelConfig config(TimeModulation mod) {
    return ModelConfig.builder().modulation(mod).build();
  }

  static EventInput[] inputs(LstmModel m, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    EventInput[] in = new EventInput[n];
    for (int i = 0; i < n; i++) {
      in[i] = m.input("event-" + r.nextInt(500), null, (long) r.nextInt(1, 3_600_000));
    }
    return in;
  }

  static EntityState[] entities(LstmModel m, EventInput[] inputs) {
    EntityState[] s = new EntityState[ENTITIES];
    int q = 0;
    for (int e = 0; e < ENTITIES; e++) {
      s[e] = EntityState.initial(m.config());
      for (int t = 0; t < EVENTS_PER_ENTITY; t++) {
        s[e].step(m, inputs[q++ % inputs.length]);
      }
    }
    return s;
  }
}
