/**
 * Configuration properties and the wiring of stores, caches and backends.
 */
@NullMarked
package dev.vmcp.sessions.config;

import org.jspecify.annotations.NullMarked;
