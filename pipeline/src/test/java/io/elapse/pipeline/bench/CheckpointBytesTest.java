package io.elapse.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointBytesTest {

  @TempDir Path dir;

  private static void write(Path f, int bytes) throws Exception {
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[bytes]);
  }

  @Test
  void countsTheNewestCompletedCheckpointAndTheSharedFiles() throws Exception {
    Path job = dir.resolve("0123abcd");
    write(job.resolve("chk-1/_metadata"), 100);
    write(job.resolve("chk-1/state"), 1_000);
    write(job.resolve("chk-2/_metadata"), 200);
    write(job.resolve("chk-2/state"), 2_000);
    write(job.resolve("chk-3/state"), 30_000); // in progress: no _metadata yet
    write(job.resolve("shared/a.sst"), 400);
    write(job.resolve("shared/sub/b.sst"), 50);
    write(job.resolve("taskowned/x"), 7);
    assertThat(PipelineBench.latestCheckpointBytes(dir)).isEqualTo(200 + 2_000 + 400 + 50);
  }

  @Test
  void noDirectoryOrNoCheckpointIsZero() throws Exception {
    assertThat(PipelineBench.latestCheckpointBytes(dir.resolve("missing"))).isZero();
    Files.createDirectories(dir.resolve("job/shared"));
    assertThat(PipelineBench.latestCheckpointBytes(dir)).isZero();
  }
}
