/** JMH benchmarks of the connectors' per-record costs (codec); run {@link CodecBench#main}. */
package io.elapse.connectors.bench;
