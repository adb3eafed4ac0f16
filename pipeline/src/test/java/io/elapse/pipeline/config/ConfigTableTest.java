package io.elapse.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTableTest {

  @Test
  void readmeHoldsTheGeneratedConfigurationTable() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int begin = readme.indexOf(ConfigTable.BEGIN);
    int end = readme.indexOf(ConfigTable.END);
    assertThat(begin).as("README has the table's begin marker").isNotNegative();
    assertThat(end).as("README has the table's end marker").isGreaterThan(begin);
    String table = readme.substring(begin + ConfigTable.BEGIN.length(), end).strip();
    assertThat(table)
        .as("README table is stale: regenerate with ConfigTable.main")
        .isEqualTo(ConfigTable.markdown().strip());
  }

  @Test
  void everyOptionHasADescriptionAndTheDefaultsBuildAValidModel() {
    assertThat(ElapseOptions.all()).hasSizeGreaterThan(20);
    ElapseOptions.all()
        .forEach(o -> assertThat(o.description().toString()).as(o.key()).isNotBlank());
    JobSettings defaults = JobSettings.from(new Configuration());
    assertThat(ModelConfigs.of(defaults).numTasks()).isEqualTo(30);
  }

  @ParameterizedTest
  @CsvSource({"elapse.model.variant, LSTM2, DECAY", "elapse.model.time-transform, sqrt, linear"})
  void aBadChoiceIsRejectedNamingTheKeyAndTheChoices(String key, String value, String aChoice) {
    JobSettings bad = JobSettings.from(Configuration.fromMap(java.util.Map.of(key, value)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelConfigs.of(bad))
        .hasMessageContaining(key)
        .hasMessageContaining(aChoice)
        .hasMessageContaining(value);
  }

  @Test
  void theTimeTransformReachesTheModelInAnyCase() {
    JobSettings zero =
        JobSettings.from(
            Configuration.fromMap(java.util.Map.of("elapse.model.time-transform", " ZERO ")));
    assertThat(ModelConfigs.of(zero).timeTransform().apply(60_000)).isZero();
    JobSettings defaults = JobSettings.from(new Configuration());
    assertThat(ModelConfigs.of(defaults).timeTransform().apply(60_000)).isEqualTo(Math.log1p(1.0));
  }
}
