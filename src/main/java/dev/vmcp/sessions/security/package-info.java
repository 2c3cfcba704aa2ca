/**
 * Caller identity: JWT resource server or anonymous mode, and the owner binding.
 */
@NullMarked
package dev.vmcp.sessions.security;

import org.jspecify.annotations.NullMarked;
