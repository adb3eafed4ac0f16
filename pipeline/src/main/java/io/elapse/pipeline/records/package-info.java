/**
 * The job's internal records: Flink POJOs of primitives and primitive arrays, so nothing falls back
 * to Kryo (a test runs the topology with generic types disabled).
 */
package io.elapse.pipeline.records;
