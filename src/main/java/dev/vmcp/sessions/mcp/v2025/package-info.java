/**
 * MCP 2025-03-26, 2025-06-18 and 2025-11-25 on {@code /mcp}: sessions opened with
 * {@code initialize} and named by {@code Mcp-Session-Id}, the standalone {@code GET}
 * stream, {@code DELETE}, and the relay of the requests members send their clients. What
 * both revisions share (catalogs, routing, members) is in the parent package.
 */
@NullMarked
package dev.vmcp.sessions.mcp.v2025;

import org.jspecify.annotations.NullMarked;
