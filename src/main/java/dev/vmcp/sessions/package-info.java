/**
 * vmcp-sessions: distributed sessions for horizontally scaled virtual MCP servers.
 */
@NullMarked
package dev.vmcp.sessions;

import org.jspecify.annotations.NullMarked;
