/**
 * Elapse's Kafka I/O: raw records ({@link io.elapse.connectors.RawRecord}) from a {@code
 * KafkaSource}, Avro single-object serde that never throws ({@link io.elapse.connectors.AvroCodec},
 * {@link io.elapse.connectors.DecodeResult}), dead letters ({@link
 * io.elapse.connectors.DeadLetters}, {@link io.elapse.connectors.ReasonCodes}), one typed
 * configuration ({@link io.elapse.connectors.KafkaConfig}) with the source and sink factories built
 * from it ({@link io.elapse.connectors.ElapseKafka}), topic administration ({@link
 * io.elapse.connectors.TopicAdministrator}), a real in-process broker ({@link
 * io.elapse.connectors.EmbeddedKafka}, {@link io.elapse.connectors.KafkaBrokerMain}) and the {@code
 * ./elapse tail} command ({@link io.elapse.connectors.TailCommand}).
 */
package io.elapse.connectors;
