/**
 * Session lifecycle: the record, its stores, the per-pod cache of live sessions and the
 * service that holds the rules.
 */
@NullMarked
package dev.vmcp.sessions.session;

import org.jspecify.annotations.NullMarked;
