package io.elapse.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elapse.connectors.ReasonCodes;
import io.elapse.model.metrics.PrequentialMetrics;
import io.elapse.pipeline.eval.LiveEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static final Map<String, Object> RUN = Map.of("duration_s", 120, "seed", 7);

  private static Report.VariantResult result(String variant, DeadLetterCounts deadLetters) {
    PrequentialMetrics metrics = PrequentialMetrics.cumulative(1);
    double[] probabilities = {0.9, 0.8, 0.3, 0.1};
    double[] targets = {1, 1, 0, 0};
    for (int i = 0; i < probabilities.length; i++) {
      metrics.add(0, probabilities[i], targets[i], null);
    }
    return new Report.VariantResult(
        variant,
        1_000,
        4,
        deadLetters,
        metrics.report(),
        metrics.reliabilityOverall(),
        List.of(new LiveEvaluator.Point(2.0, 1_000, 4, 1.0, 0.2, 0.05, 0.9, 500, 3)),
        1_000);
  }

  @Test
  void summaryKeepsTheTotalAndAddsTheCountPerReason(@TempDir Path dir) throws Exception {
    DeadLetterCounts deadLetters =
        new DeadLetterCounts(
            Map.of(ReasonCodes.EXPIRED, 150L, ReasonCodes.LATE, 24L, ReasonCodes.UNDECODABLE, 2L));

    Report.write(dir, result("TIME_GATE", deadLetters), null, RUN);

    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("dead_letters").asLong()).isEqualTo(176);
    JsonNode byReason = summary.get("dead_letters_by_reason");
    assertThat(byReason.size()).isEqualTo(3);
    assertThat(byReason.get("expired").asLong()).isEqualTo(150);
    assertThat(byReason.get("late").asLong()).isEqualTo(24);
    assertThat(byReason.get("undecodable").asLong()).isEqualTo(2);
    assertThat(summary.has("none")).isFalse();
  }

  @Test
  void theComparedVariantHasItsOwnBreakdown(@TempDir Path dir) throws Exception {
    Report.write(
        dir,
        result("TIME_GATE", new DeadLetterCounts(Map.of(ReasonCodes.EXPIRED, 170L))),
        result(
            "NONE", new DeadLetterCounts(Map.of(ReasonCodes.EXPIRED, 160L, ReasonCodes.LATE, 8L))),
        RUN);

    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("dead_letters").asLong()).isEqualTo(170);
    assertThat(summary.get("dead_letters_by_reason").get("expired").asLong()).isEqualTo(170);
    JsonNode none = summary.get("none");
    assertThat(none.get("dead_letters").asLong()).isEqualTo(168);
    assertThat(none.get("dead_letters_by_reason").get("expired").asLong()).isEqualTo(160);
    assertThat(none.get("dead_letters_by_reason").get("late").asLong()).isEqualTo(8);
  }

  @Test
  void noDeadLettersIsZeroAndAnEmptyObject(@TempDir Path dir) throws Exception {
    Report.write(dir, result("TIME_GATE", DeadLetterCounts.NONE), null, RUN);

    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("dead_letters").asLong()).isZero();
    assertThat(summary.get("dead_letters_by_reason").isObject()).isTrue();
    assertThat(summary.get("dead_letters_by_reason").size()).isZero();
  }

  @Test
  void htmlShowsTheBreakdownUnderTheTotal(@TempDir Path dir) throws Exception {
    DeadLetterCounts deadLetters =
        new DeadLetterCounts(Map.of(ReasonCodes.LATE, 26L, ReasonCodes.EXPIRED, 150L));

    Report.write(dir, result("TIME_GATE", deadLetters), null, RUN);

    String html = Files.readString(dir.resolve("index.html"));
    assertThat(html).contains("<th>dead letters</th>");
    assertThat(html).contains("<td>176<br><small>expired 150, late 26</small></td>");
  }

  @Test
  void reasonsAreEscapedInTheHtml(@TempDir Path dir) throws Exception {
    Report.write(
        dir, result("TIME_GATE", new DeadLetterCounts(Map.of("<b>odd</b>", 1L))), null, RUN);

    String html = Files.readString(dir.resolve("index.html"));
    assertThat(html).contains("&lt;b&gt;odd&lt;/b&gt; 1").doesNotContain("<b>odd</b>");
  }
}
