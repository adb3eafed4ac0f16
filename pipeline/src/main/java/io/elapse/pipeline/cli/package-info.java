/** The {@code ./elapse} command line: one picocli command per subcommand. */
package io.elapse.pipeline.cli;
