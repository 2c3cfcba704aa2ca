/**
 * The MCP front door on {@code /mcp}, what both protocol revisions share: the endpoint
 * that reads a message and hands it to its revision, the catalog of the members' tools,
 * prompts and resources, routing of each request to its member, the members spoken to in
 * their own revision, and the relay of what they send back. Each revision's own flow is a
 * sub-package: {@code v2025} (sessions) and {@code v2026} (stateless).
 */
@NullMarked
package dev.vmcp.sessions.mcp;

import org.jspecify.annotations.NullMarked;
