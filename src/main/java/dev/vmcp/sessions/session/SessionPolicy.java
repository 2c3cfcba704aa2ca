package dev.vmcp.sessions.session;

import java.time.Duration;

/**
 * The limits a session lives under.
 *
 * @param maxLifetime absolute lifetime from creation
 * @param metadataMaxBytes largest metadata, counted as UTF-8 bytes of keys and values
 */
public record SessionPolicy(Duration maxLifetime, long metadataMaxBytes) {

}
