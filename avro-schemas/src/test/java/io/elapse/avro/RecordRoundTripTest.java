package io.elapse.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordRoundTripTest {

  static java.util.stream.Stream<String> contracts() {
    return ElapseSchemas.ALL.stream().map(ElapseSchemas.Contract::name);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyRecordSurvivesSingleObjectEncoding(String name) throws Exception {
    SpecificRecord original = SampleRecords.of(name);
    BinaryMessageEncoder<SpecificRecord> encoder =
        new BinaryMessageEncoder<>(SpecificData.get(), original.getSchema());
    ByteBuffer bytes = encoder.encode(original);

    BinaryMessageDecoder<SpecificRecord> decoder =
        new BinaryMessageDecoder<>(SpecificData.get(), original.getSchema());
    SpecificRecord decoded = decoder.decode(bytes);

    assertThat(decoded).isEqualTo(original);
    assertThat(decoded).isNotSameAs(original);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyFieldIsDocumented(String name) {
    var schema = ElapseSchemas.byName(name).schema();
    assertThat(schema.getDoc()).as("record doc of %s", name).isNotBlank();
    schema
        .getFields()
        .forEach(f -> assertThat(f.doc()).as("doc of %s.%s", name, f.name()).isNotBlank());
  }
}
