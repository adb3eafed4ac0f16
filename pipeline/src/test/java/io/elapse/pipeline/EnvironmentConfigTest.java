package io.elapse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.pipeline.config.JobSettings;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

  private static Configuration envFor(Map<String, String> settings) {
    Configuration conf = Configuration.fromMap(settings);
    return ElapseJob.environmentConfig(JobSettings.from(conf), conf);
  }

  /** RocksDB with one Flink option set explicitly. */
  private static Configuration rocksDbWith(String key, String value) {
    return envFor(Map.of("elapse.state.backend", "rocksdb", key, value));
  }

  @Test
  void rocksDbCheckpointsAreIncrementalByDefault() {
    Configuration c = envFor(Map.of("elapse.state.backend", "rocksdb"));
    assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(c.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.parse("2g"));
  }

  @Test
  void anExplicitManagedMemorySizeWins() {
    Configuration c = rocksDbWith(TaskManagerOptions.MANAGED_MEMORY_SIZE.key(), "512m");
    assertThat(c.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.parse("512m"));
  }

  @Test
  void anExplicitIncrementalSettingWins() {
    Configuration c = rocksDbWith(CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key(), "false");
    assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
  }

  @Test
  void theHeapBackendIsLeftAlone() {
    Configuration c = envFor(Map.of());
    assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    assertThat(c.contains(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    assertThat(c.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isFalse();
  }
}
