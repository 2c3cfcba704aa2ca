/**
 * The Redis session store and the pub/sub invalidation between pods.
 */
@NullMarked
package dev.vmcp.sessions.redis;

import org.jspecify.annotations.NullMarked;
