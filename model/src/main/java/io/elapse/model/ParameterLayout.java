package io.elapse.model;

import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The flat {@code float[]} layout of all parameters. Groups are stored one after the other in the
 * order of {@link Group}, each row-major ({@code [rows][cols]}, index {@code r * cols + c}); groups
 * that the modulation does not use are absent (length 0). The embedding comes first, so everything
 * from {@link #denseOffset()} on is the "dense" part that gradients carry densely.
 *
 * <p>Inside the 4H gate columns the block order is DL4J's: [0,H) cell candidate g, [H,2H) forget f,
 * [2H,3H) output o, [3H,4H) input i, so a DL4J {@code LSTM}'s W/RW/b are a plain copy.
 */
public final class ParameterLayout {

  /** The named parameter groups, in storage order. */
  public enum Group {
    /** Event-type embedding table [V, E]. */
    EMBEDDING,
    /** Input weights [I, 4H], I = E + F + 1 (x = [embedding; features; φ(Δt)]). */
    W_X,
    /** Recurrent weights [H, 4H]. */
    W_H,
    /** Gate biases [4H] (forget block initialized to 1). */
    B,
    /** DECAY only: per-unit decay λ [H]; the decay rate is softplus(λ). */
    DECAY_LAMBDA,
    /** TIME_GATE only: time-gate input weights W_t [I, H]. */
    TIME_W,
    /** TIME_GATE only: time-gate elapsed-time weights w_tt [H]. */
    TIME_WTT,
    /** TIME_GATE only: time-gate bias b_t [H]. */
    TIME_B,
    /** Head weights W_o [H, K]. */
    HEAD_W,
    /** Head bias b_o [K]. */
    HEAD_B
  }

  /**
   * One group's place in the flat array.
   *
   * @param group the group
   * @param offset first index in the flat array
   * @param rows number of rows
   * @param cols number of columns (1 for vectors)
   */
  public record Segment(Group group, int offset, int rows, int cols) {
    /** rows × cols. */
    public int length() {
      return rows * cols;
    }
  }

  private final Map<Group, Segment> segments;
  private final List<Segment> ordered;
  private final int size;

  private ParameterLayout(List<Segment> ordered) {
    this.ordered = Collections.unmodifiableList(ordered);
    Map<Group, Segment> m = new EnumMap<>(Group.class);
    int total = 0;
    for (Segment s : ordered) {
      m.put(s.group(), s);
      total = s.offset() + s.length();
    }
    this.segments = m;
    this.size = total;
  }

  /** The layout of a configuration. */
  public static ParameterLayout of(ModelConfig config) {
    int h = config.hiddenSize();
    int g4 = 4 * h;
    int in = config.inputSize();
    int k = config.numTasks();
    List<Segment> list = new ArrayList<>();
    int[] off = {0};
    add(list, off, Group.EMBEDDING, config.vocabularyBuckets(), config.embeddingDim());
    add(list, off, Group.W_X, in, g4);
    add(list, off, Group.W_H, h, g4);
    add(list, off, Group.B, 1, g4);
    if (config.modulation() == TimeModulation.DECAY) {
      add(list, off, Group.DECAY_LAMBDA, 1, h);
    }
    if (config.modulation() == TimeModulation.TIME_GATE) {
      add(list, off, Group.TIME_W, in, h);
      add(list, off, Group.TIME_WTT, 1, h);
      add(list, off, Group.TIME_B, 1, h);
    }
    add(list, off, Group.HEAD_W, h, k);
    add(list, off, Group.HEAD_B, 1, k);
    return new ParameterLayout(list);
  }

  private static void add(List<Segment> list, int[] off, Group g, int rows, int cols) {
    list.add(new Segment(g, off[0], rows, cols));
    off[0] += rows * cols;
  }

  /** Total number of parameters. */
  public int size() {
    return size;
  }

  /** Whether the group is present for this configuration. */
  public boolean has(Group g) {
    return segments.containsKey(g);
  }

  /** The segment of a present group. */
  public Segment segment(Group g) {
    Segment s = segments.get(g);
    if (s == null) {
      throw new IllegalArgumentException(
          "expected one of " + segments.keySet() + " for this layout, got " + g);
    }
    return s;
  }

  /** Offset of a present group in the flat array. */
  public int offset(Group g) {
    return segment(g).offset();
  }

  /** Length of a group, 0 if absent. */
  public int length(Group g) {
    Segment s = segments.get(g);
    return s == null ? 0 : s.length();
  }

  /** Present groups in storage order. */
  public List<Segment> segments() {
    return ordered;
  }

  /** Index where the dense (non-embedding) part starts: V × E. */
  public int denseOffset() {
    return length(Group.EMBEDDING);
  }

  /** Number of dense (non-embedding) parameters. */
  public int denseSize() {
    return size - denseOffset();
  }

  @Override
  public String toString() {
    return "ParameterLayout{size=" + size + ", segments=" + ordered + '}';
  }
}
