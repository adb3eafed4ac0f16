package io.elapse.avro;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Regenerates the checked-in compatibility fixtures. Run it once when a schema version is frozen:
 * copy {@code src/main/avro} to {@code src/test/resources/schemas/vN} and run {@code mvn -pl
 * avro-schemas test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.elapse.avro.FixtureGenerator -Dexec.args="vN"}.
 */
public final class FixtureGenerator {

  private FixtureGenerator() {}

  /** Writes one single-object-encoded sample per contract under {@code fixtures/<version>/}. */
  public static void main(String[] args) throws Exception {
    String version = args.length > 0 ? args[0] : SchemaEvolutionTest.PREVIOUS;
    Path dir = Path.of("src/test/resources/fixtures", version);
    Files.createDirectories(dir);
    for (ElapseSchemas.Contract c : ElapseSchemas.ALL) {
      if (!ElapseSchemas.existedIn(version, c.name())) {
        continue;
      }
      SpecificRecord sample = SampleRecords.of(c.name());
      ByteBuffer bytes =
          new BinaryMessageEncoder<SpecificRecord>(SpecificData.get(), c.schema()).encode(sample);
      byte[] out = new byte[bytes.remaining()];
      bytes.get(out);
      Files.write(dir.resolve(c.name() + ".bin"), out);
      System.out.println("wrote " + dir.resolve(c.name() + ".bin") + " (" + out.length + " bytes)");
    }
  }
}
