package io.elapse.model.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Validated optimizer configuration. Build with {@link #adam(double)}, {@link #sgd(double,
 * double)}, {@link #builder(Type)} or {@link #parse(String)}.
 *
 * @param type which optimizer
 * @param learningRate step size &gt; 0
 * @param beta1 Adam first-moment decay in [0, 1) (ignored by SGD)
 * @param beta2 Adam second-moment decay in [0, 1) (ignored by SGD)
 * @param epsilon Adam denominator offset &gt; 0 (ignored by SGD)
 * @param momentum SGD momentum in [0, 1) (ignored by Adam)
 */
public record OptimizerConfig(
    Type type, double learningRate, double beta1, double beta2, double epsilon, double momentum) {

  /** Default Adam β1. */
  public static final double DEFAULT_BETA1 = 0.9;

  /** Default Adam β2. */
  public static final double DEFAULT_BETA2 = 0.999;

  /** Default Adam ε (as in ND4J and the paper). */
  public static final double DEFAULT_EPSILON = 1e-8;

  /** The optimizers available. */
  public enum Type {
    /** {@link Adam}. */
    ADAM,
    /** {@link Sgd}. */
    SGD
  }

  /** Validates every field, naming the bad value. */
  public OptimizerConfig {
    if (type == null) {
      throw new IllegalArgumentException("expected an optimizer type, got null");
    }
    check("learningRate", learningRate, learningRate > 0 && Double.isFinite(learningRate), "> 0");
    check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0,1)");
    check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0,1)");
    check("epsilon", epsilon, epsilon > 0 && Double.isFinite(epsilon), "> 0");
    check("momentum", momentum, momentum >= 0 && momentum < 1, "in [0,1)");
  }

  /** Adam with the given learning rate and default β1, β2, ε. */
  public static OptimizerConfig adam(double learningRate) {
    return builder(Type.ADAM).learningRate(learningRate).build();
  }

  /** SGD with the given learning rate and momentum (0 for none). */
  public static OptimizerConfig sgd(double learningRate, double momentum) {
    return builder(Type.SGD).learningRate(learningRate).momentum(momentum).build();
  }

  /** A builder with defaults lr = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8, momentum = 0. */
  public static Builder builder(Type type) {
    return new Builder(type);
  }

  /**
   * Parses {@code name[:key=value,...]}, e.g. {@code adam:lr=0.001,beta2=0.99} or {@code
   * sgd:lr=0.1,momentum=0.9}. Keys: lr, beta1, beta2, epsilon, momentum. Case-insensitive.
   */
  public static OptimizerConfig parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String name = colon < 0 ? s : s.substring(0, colon);
    Type type;
    try {
      type = Type.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected optimizer adam or sgd, got '" + name + "' in '" + spec + "'", e);
    }
    Builder b = builder(type);
    if (colon >= 0 && colon < s.length() - 1) {
      for (String kv : s.substring(colon + 1).split(",")) {
        int eq = kv.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              "expected key=value, got '" + kv + "' in '" + spec + "'");
        }
        String key = kv.substring(0, eq).trim();
        double value;
        try {
          value = Double.parseDouble(kv.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "expected a number for " + key + ", got '" + kv.substring(eq + 1) + "'", e);
        }
        switch (key) {
          case "lr", "learningrate" -> b.learningRate(value);
          case "beta1" -> b.beta1(value);
          case "beta2" -> b.beta2(value);
          case "epsilon", "eps" -> b.epsilon(value);
          case "momentum" -> b.momentum(value);
          default ->
              throw new IllegalArgumentException(
                  "expected one of lr, beta1, beta2, epsilon, momentum, got '" + key + "'");
        }
      }
    }
    return b.build();
  }

  /** A new optimizer of this configuration for {@code size} parameters. */
  public Optimizer create(int size) {
    return switch (type) {
      case ADAM -> new Adam(this, size);
      case SGD -> new Sgd(this, size);
    };
  }

  /** The hyperparameters that matter for {@link #type}, as strings (for model metadata). */
  public Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("optimizer", type.name().toLowerCase(Locale.ROOT));
    p.put("lr", Double.toString(learningRate));
    if (type == Type.ADAM) {
      p.put("beta1", Double.toString(beta1));
      p.put("beta2", Double.toString(beta2));
      p.put("epsilon", Double.toString(epsilon));
    } else {
      p.put("momentum", Double.toString(momentum));
    }
    return p;
  }

  private static void check(String name, double value, boolean ok, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("expected " + name + " " + rule + ", got " + value);
    }
  }

  /** Builder for {@link OptimizerConfig}; {@link #build()} validates. */
  public static final class Builder {
    private final Type type;
    private double learningRate = 1e-3;
    private double beta1 = DEFAULT_BETA1;
    private double beta2 = DEFAULT_BETA2;
    private double epsilon = DEFAULT_EPSILON;
    private double momentum = 0.0;

    private Builder(Type type) {
      this.type = type;
    }

    /** Sets the learning rate. */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Sets Adam's β1. */
    public Builder beta1(double v) {
      beta1 = v;
      return this;
    }

    /** Sets Adam's β2. */
    public Builder beta2(double v) {
      beta2 = v;
      return this;
    }

    /** Sets Adam's ε. */
    public Builder epsilon(double v) {
      epsilon = v;
      return this;
    }

    /** Sets SGD momentum. */
    public Builder momentum(double v) {
      momentum = v;
      return this;
    }

    /** The validated configuration. */
    public OptimizerConfig build() {
      return new OptimizerConfig(type, learningRate, beta1, beta2, epsilon, momentum);
    }
  }
}
