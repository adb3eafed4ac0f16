package io.elapse.pipeline.cli;

import io.elapse.avro.ModelUpdate;
import io.elapse.avro.TaskCalibration;
import io.elapse.avro.TrainingStats;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The text and JSON reports of {@code ./elapse model inspect} for a verified update. */
final class ModelReport {

  private ModelReport() {}

  /** A human-readable report, one field per line and a calibration table. */
  static String text(ModelCommand.VerifiedModel m) {
    ModelUpdate u = m.update();
    io.elapse.avro.ModelConfig c = u.getConfig();
    TrainingStats st = u.getStats();
    StringBuilder b = new StringBuilder();
    line(b, "source", m.origin());
    line(b, "version", ModelCommand.versionOf(u));
    line(b, "created", String.valueOf(u.getCreatedAt()));
    line(b, "kind", String.valueOf(u.getKind()));
    line(b, "variant", String.valueOf(c.getVariant()));
    line(
        b,
        "shape",
        String.format(
            Locale.ROOT,
            "hidden %d, embedding %d, buckets %d, features %d, window %d, tasks %d",
            c.getHiddenSize(),
            c.getEmbeddingDim(),
            c.getVocabularyBuckets(),
            c.getNumFeatures(),
            c.getWindowSize(),
            c.getTasks().size()));
    line(b, "time", c.getTimeTransform() + ", scale " + c.getTimeScaleMillis() + " ms");
    line(b, "tasks", String.join(", ", c.getTasks()));
    line(b, "properties", String.valueOf(new TreeMap<>(c.getProperties())));
    line(
        b,
        "parameters",
        m.model().parameters().length
            + " ("
            + u.getParameterFormat()
            + "): "
            + String.join(", ", ModelCommand.groups(m.model())));
    line(
        b,
        "stats",
        "labelsApplied "
            + st.getLabelsApplied()
            + ", gradientBatches "
            + st.getGradientBatches()
            + ", meanLoss "
            + st.getMeanLoss());
    if (!st.getMetrics().isEmpty()) {
      line(b, "metrics", String.valueOf(new TreeMap<>(st.getMetrics())));
    }
    b.append("calibration:\n");
    int w = "task".length();
    for (TaskCalibration t : u.getCalibration()) {
      w = Math.max(w, t.getTask().length());
    }
    String row = "  %-" + w + "s  %10s  %10s  %8s  %8s  %10s  %12s%n";
    b.append(
        String.format(
            Locale.ROOT,
            row,
            "task",
            "platt a",
            "platt b",
            "alpha",
            "alpha_t",
            "threshold",
            "obs"));
    for (TaskCalibration t : u.getCalibration()) {
      b.append(
          String.format(
              Locale.ROOT,
              row,
              t.getTask(),
              fmt(t.getPlattScale()),
              fmt(t.getPlattBias()),
              fmt(t.getConformalAlpha()),
              fmt(t.getConformalAlphaT()),
              fmt(t.getConformalThreshold()),
              t.getObservations()));
    }
    line(b, "integrity", "OK (" + m.checks() + ")" + unsignedNote(m));
    return b.toString();
  }

  /** One JSON object with the same content (NaN and infinities as null). */
  static String json(ModelCommand.VerifiedModel m) {
    ModelUpdate u = m.update();
    io.elapse.avro.ModelConfig c = u.getConfig();
    TrainingStats st = u.getStats();
    StringBuilder b = new StringBuilder("{");
    field(b, "source", str(m.origin()));
    field(b, "version", str(ModelCommand.versionOf(u)));
    field(b, "epoch", String.valueOf(u.getVersion().getEpoch()));
    field(b, "step", String.valueOf(u.getVersion().getStep()));
    field(b, "createdAt", str(String.valueOf(u.getCreatedAt())));
    field(b, "kind", str(String.valueOf(u.getKind())));
    StringBuilder cfg = new StringBuilder("{");
    field(cfg, "variant", str(String.valueOf(c.getVariant())));
    field(cfg, "hiddenSize", String.valueOf(c.getHiddenSize()));
    field(cfg, "embeddingDim", String.valueOf(c.getEmbeddingDim()));
    field(cfg, "vocabularyBuckets", String.valueOf(c.getVocabularyBuckets()));
    field(cfg, "numFeatures", String.valueOf(c.getNumFeatures()));
    field(cfg, "tasks", array(c.getTasks().stream().map(ModelReport::str).toList()));
    field(cfg, "windowSize", String.valueOf(c.getWindowSize()));
    field(cfg, "timeTransform", str(c.getTimeTransform()));
    field(cfg, "timeScaleMillis", num(c.getTimeScaleMillis()));
    StringBuilder props = new StringBuilder("{");
    new TreeMap<>(c.getProperties()).forEach((k, v) -> field(props, k, str(v)));
    field(cfg, "properties", props.append('}').toString());
    field(b, "config", cfg.append('}').toString());
    field(b, "parameterFormat", str(u.getParameterFormat()));
    field(b, "parameterCount", String.valueOf(m.model().parameters().length));
    field(
        b,
        "parameterGroups",
        array(ModelCommand.groups(m.model()).stream().map(ModelReport::str).toList()));
    StringBuilder stats = new StringBuilder("{");
    field(stats, "labelsApplied", String.valueOf(st.getLabelsApplied()));
    field(stats, "gradientBatches", String.valueOf(st.getGradientBatches()));
    field(stats, "meanLoss", num(st.getMeanLoss()));
    StringBuilder metrics = new StringBuilder("{");
    new TreeMap<>(st.getMetrics()).forEach((k, v) -> field(metrics, k, num(v)));
    field(stats, "metrics", metrics.append('}').toString());
    field(b, "stats", stats.append('}').toString());
    field(
        b,
        "calibration",
        array(u.getCalibration().stream().map(ModelReport::calibrationJson).toList()));
    StringBuilder integrity = new StringBuilder("{");
    field(integrity, "ok", "true");
    field(integrity, "checked", str(m.checks()));
    field(integrity, "signed", String.valueOf(u.getSignature() != null));
    field(b, "integrity", integrity.append('}').toString());
    return b.append("}\n").toString();
  }

  private static String calibrationJson(TaskCalibration t) {
    StringBuilder b = new StringBuilder("{");
    field(b, "task", str(t.getTask()));
    field(b, "plattScale", num(t.getPlattScale()));
    field(b, "plattBias", num(t.getPlattBias()));
    field(b, "conformalAlpha", num(t.getConformalAlpha()));
    field(b, "conformalAlphaT", num(t.getConformalAlphaT()));
    field(b, "conformalThreshold", num(t.getConformalThreshold()));
    field(b, "observations", String.valueOf(t.getObservations()));
    return b.append('}').toString();
  }

  private static String unsignedNote(ModelCommand.VerifiedModel m) {
    if (m.checks().contains("hmac")) {
      return "";
    }
    return m.update().getSignature() == null
        ? ", unsigned"
        : ", signed: signature not checked without --hmac-key-file";
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(String.format(Locale.ROOT, "%-13s%s%n", name + ":", value));
  }

  /** A JSON number, or null for NaN and infinities. */
  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  /** A number for the text table. */
  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static void field(StringBuilder b, String name, String jsonValue) {
    if (b.length() > 1) {
      b.append(',');
    }
    b.append(str(name)).append(':').append(jsonValue);
  }

  private static String array(List<String> jsonValues) {
    return "[" + String.join(",", jsonValues) + "]";
  }

  /** A JSON string literal. */
  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
