/**
 * The Redis session store and the broadcasts between pods (Redis pub/sub).
 */
@NullMarked
package dev.vmcp.sessions.redis;

import org.jspecify.annotations.NullMarked;
