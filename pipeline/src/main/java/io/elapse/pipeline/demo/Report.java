package io.elapse.pipeline.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.elapse.model.metrics.MetricsReport;
import io.elapse.model.metrics.ReliabilityDiagram;
import io.elapse.pipeline.eval.LiveEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes the demo's {@code summary.json} and a self-contained {@code index.html} with SVG plots.
 */
public final class Report {

  /**
   * What one model variant produced in the demo.
   *
   * @param deadLetters the records on the variant's dead-letter topic, per reason code
   */
  public record VariantResult(
      String variant,
      long events,
      long labels,
      DeadLetterCounts deadLetters,
      MetricsReport metrics,
      ReliabilityDiagram reliability,
      List<LiveEvaluator.Point> series,
      double meanLabelDelayMillis) {

    /**
     * The sliding-window AUC of the last live sample, what the model does once it has learned; NaN
     * without samples.
     */
    public double aucAtEnd() {
      return series.isEmpty() ? Double.NaN : series.get(series.size() - 1).slidingAuc();
    }
  }

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c"};

  private Report() {}

  /** The summary figures of one variant, as written to summary.json. */
  public static Map<String, Object> figures(VariantResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("variant", r.variant());
    m.put("events", r.events());
    m.put("labels", r.labels());
    m.put("dead_letters", r.deadLetters().total());
    m.put("dead_letters_by_reason", r.deadLetters().byReason());
    m.put("auc", r.metrics().overall().auc());
    m.put("auc_at_end", Double.isNaN(r.aucAtEnd()) ? null : r.aucAtEnd());
    m.put("macro_auc", r.metrics().macroAuc());
    m.put("log_loss", r.metrics().overall().logLoss());
    m.put("ece", r.metrics().overall().ece());
    m.put("brier", r.metrics().overall().brier());
    m.put("coverage", r.metrics().overall().setCoverage());
    m.put("average_set_size", r.metrics().overall().averageSetSize());
    m.put("positive_rate", r.metrics().overall().positiveRate());
    m.put("precision_at_k", r.metrics().precisionAtK());
    m.put("recall_at_k", r.metrics().recallAtK());
    m.put("mean_label_delay_ms", r.meanLabelDelayMillis());
    return m;
  }

  /** Writes summary.json and index.html into {@code dir}; {@code compare} may be null. */
  public static void write(
      Path dir, VariantResult main, VariantResult compare, Map<String, Object> run)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> summary = new LinkedHashMap<>(figures(main));
    if (compare != null) {
      summary.put("none", figures(compare));
    }
    summary.put("run", run);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("summary.json").toFile(), sanitize(summary));

    List<VariantResult> all = compare == null ? List.of(main) : List.of(main, compare);
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Elapse demo report</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}")
        .append(
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append(
            ".charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #eee;padding:8px}")
        .append("</style></head><body><h1>Elapse demo report</h1>");
    h.append("<p>Prequential evaluation: each prediction is scored against the labels that arrived")
        .append(" for its event <em>after</em> it was made. Run: ")
        .append(escape(run.toString()))
        .append(
            "</p><h2>Final figures</h2><table><tr><th>variant</th><th>events</th><th>labels</th>")
        .append("<th>dead letters</th><th>AUC</th><th>log loss</th><th>ECE</th><th>coverage</th>")
        .append("<th>avg set size</th></tr>");
    for (VariantResult r : all) {
      var o = r.metrics().overall();
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td>%d</td><td>%d</td><td>%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.3f</td></tr>",
              r.variant(),
              r.events(),
              r.labels(),
              deadLettersCell(r.deadLetters()),
              o.auc(),
              o.logLoss(),
              o.ece(),
              o.setCoverage(),
              o.averageSetSize()));
    }
    h.append("</table><h2>Over time (sliding window of recent labels)</h2><div class=\"charts\">");
    h.append(lineChart("Prequential AUC", all, LiveEvaluator.Point::slidingAuc));
    h.append(lineChart("ECE (15 bins)", all, LiveEvaluator.Point::slidingEce));
    h.append(lineChart("Conformal set coverage", all, LiveEvaluator.Point::slidingCoverage));
    h.append(
        lineChart(
            "Committed predictions per second (checkpoint to checkpoint, last 20 s)",
            all,
            LiveEvaluator.Point::predictionsPerSecond));
    h.append(reliabilityChart(all));
    h.append("</div></body></html>\n");
    Files.writeString(dir.resolve("index.html"), h.toString());
  }

  /** The total, and under it the count per reason code (see the README's "Dead letters"). */
  private static String deadLettersCell(DeadLetterCounts d) {
    String total = Long.toString(d.total());
    return d.byReason().isEmpty()
        ? total
        : total + "<br><small>" + escape(d.describe()) + "</small>";
  }

  private static Object sanitize(Object o) {
    if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, sanitize(v)));
      return out;
    }
    return o;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String lineChart(
      String title, List<VariantResult> variants, ToDoubleFunction<LiveEvaluator.Point> y) {
    int w = 500;
    int hgt = 260;
    int pad = 40;
    double maxX = 1;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (VariantResult v : variants) {
      for (LiveEvaluator.Point p : v.series()) {
        double val = y.applyAsDouble(p);
        if (Double.isFinite(val)) {
          maxX = Math.max(maxX, p.seconds());
          minY = Math.min(minY, val);
          maxY = Math.max(maxY, val);
        }
      }
    }
    if (!Double.isFinite(minY)) {
      minY = 0;
      maxY = 1;
    }
    if (maxY - minY < 1e-9) {
      maxY = minY + 1;
    }
    StringBuilder s = new StringBuilder("<div class=\"chart\"><b>" + escape(title) + "</b><br>");
    s.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\">", w, hgt));
    s.append(axes(w, hgt, pad, minY, maxY, maxX));
    int c = 0;
    for (VariantResult v : variants) {
      StringBuilder pts = new StringBuilder();
      for (LiveEvaluator.Point p : v.series()) {
        double val = y.applyAsDouble(p);
        if (Double.isFinite(val)) {
          pts.append(
              String.format(
                  Locale.ROOT,
                  "%.1f,%.1f ",
                  pad + (w - 2 * pad) * p.seconds() / maxX,
                  hgt - pad - (hgt - 2 * pad) * (val - minY) / (maxY - minY)));
        }
      }
      s.append(
          String.format(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
              COLORS[c % COLORS.length], pts));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
              w - pad - 80,
              pad + 14 * c,
              COLORS[c % COLORS.length],
              escape(v.variant())));
      c++;
    }
    return s.append("</svg></div>").toString();
  }

  private static String axes(int w, int h, int pad, double minY, double maxY, double maxX) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
            + "<text x=\"2\" y=\"%d\" font-size=\"11\">%.3f</text>"
            + "<text x=\"2\" y=\"%d\" font-size=\"11\">%.3f</text>"
            + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.0f s</text>",
        pad,
        h - pad,
        w - pad,
        h - pad,
        pad,
        pad,
        pad,
        h - pad,
        pad,
        maxY,
        h - pad,
        minY,
        w - pad - 30,
        h - pad + 16,
        maxX);
  }

  private static String reliabilityChart(List<VariantResult> variants) {
    int size = 260;
    int pad = 40;
    StringBuilder s = new StringBuilder("<div class=\"chart\"><b>Reliability diagram</b><br>");
    s.append(String.format("<svg width=\"%d\" height=\"%d\">", size, size));
    s.append(axes(size, size, pad, 0, 1, 1).replace(" s</text>", "</text>"));
    s.append(
        String.format(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>",
            pad, size - pad, size - pad, pad));
    int c = 0;
    for (VariantResult v : variants) {
      for (ReliabilityDiagram.Bin b : v.reliability().bins()) {
        if (b.count() == 0 || !Double.isFinite(b.meanTarget())) {
          continue;
        }
        s.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" opacity=\"0.7\"/>",
                pad + (size - 2 * pad) * b.meanProbability(),
                size - pad - (size - 2 * pad) * b.meanTarget(),
                2 + Math.min(6, Math.log10(1 + b.count())),
                COLORS[c % COLORS.length]));
      }
      c++;
    }
    return s.append(
            "</svg><br><small>x: mean predicted probability, y: observed frequency</small></div>")
        .toString();
  }
}
