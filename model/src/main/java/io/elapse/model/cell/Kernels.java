package io.elapse.model.cell;

import java.util.Locale;

/**
 * Which implementation of the cell's dense loops this JVM runs: the JDK Vector API when the
 * incubator module {@code jdk.incubator.vector} is in the boot layer ({@link #JVM_OPTION}), else
 * portable Java loops that HotSpot auto-vectorizes where it can. Both give bit-identical results;
 * the Vector API path is faster in the kernel benchmark, and steadily so with {@link
 * #INLINE_OPTION} as well (BENCHMARKS.md, "Kernel").
 *
 * <p>System property {@code elapse.kernels}: {@code auto} (default) or {@code scalar} (never use
 * the Vector API). Read once, when the cell's loops are first used.
 */
public final class Kernels {
  /** The JVM option that enables the Vector API path. */
  public static final String JVM_OPTION = "--add-modules=jdk.incubator.vector";

  /**
   * The JVM option that keeps C2 from inlining {@code Vec}'s loops into their (large) callers, so
   * each is compiled on its own with every Vector API operation inlined and intrinsified. Without
   * it, a caller that reaches C2's inlining node limit leaves some operations on their Java
   * fallback, and the speed depends on the order things were compiled in (BENCHMARKS.md).
   */
  public static final String INLINE_OPTION =
      "-XX:CompileCommand=dontinline,io.elapse.model.cell.Vec::*";

  /** The module that holds the Vector API. */
  static final String MODULE = "jdk.incubator.vector";

  private static final Choice CHOICE = choose(System.getProperty("elapse.kernels", "auto"));

  private Kernels() {}

  /** Whether the cell runs on the Vector API. */
  public static boolean simd() {
    return CHOICE.simd;
  }

  /** One line for logs: the implementation in use and, if scalar, why. */
  public static String description() {
    return CHOICE.description;
  }

  /** The implementation chosen and the line that says so. */
  record Choice(boolean simd, String description) {}

  static Choice choose(String setting) {
    String s = setting.trim().toLowerCase(Locale.ROOT);
    if (s.equals("scalar")) {
      return new Choice(false, "scalar Java loops (elapse.kernels=scalar)");
    }
    if (!s.equals("auto")) {
      throw new IllegalArgumentException(
          "expected elapse.kernels to be auto or scalar, got '" + setting + "'");
    }
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      return new Choice(
          false,
          "scalar Java loops ("
              + MODULE
              + " not enabled; the JVM option "
              + JVM_OPTION
              + " makes the cell faster)");
    }
    int lanes;
    try {
      lanes = SimdVec.floatLanes();
    } catch (LinkageError e) {
      return new Choice(false, "scalar Java loops (the Vector API failed to load: " + e + ")");
    }
    if (lanes < 4) {
      return new Choice(
          false, "scalar Java loops (the Vector API has only " + lanes + " float lanes here)");
    }
    boolean separate =
        java.lang.management.ManagementFactory.getRuntimeMXBean()
            .getInputArguments()
            .contains(INLINE_OPTION);
    return new Choice(
        true,
        "JDK Vector API, "
            + lanes
            + " float lanes"
            + (separate
                ? ""
                : "; without the JVM option " + INLINE_OPTION + " its speed depends on the JIT"));
  }
}
