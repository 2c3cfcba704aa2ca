/**
 * Who sees which of the members' tools, prompts and resources: rules in CEL over the
 * caller's token claims, the member and the item, compiled once at start-up.
 */
@NullMarked
package dev.vmcp.sessions.policy;

import org.jspecify.annotations.NullMarked;
