/**
 * The data contracts of every Elapse topic: Avro records generated from {@code src/main/avro}, the
 * list of them ({@link io.elapse.avro.ElapseSchemas}) and the schema evolution policy ({@link
 * io.elapse.avro.SchemaEvolutionPolicy}).
 */
package io.elapse.avro;
